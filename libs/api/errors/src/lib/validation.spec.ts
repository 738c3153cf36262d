import type { ArgumentMetadata } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { createValidationPipe, ValidationFailedException } from './validation';

class GreetingDto {
  @IsString({ message: 'The name must be text.' })
  name!: string;

  @IsOptional()
  @IsString({ message: 'The note must be text.' })
  note?: string;
}

const asBody: ArgumentMetadata = { type: 'body', metatype: GreetingDto, data: '' };

async function detailsOf(raw: string): Promise<Record<string, string>> {
  try {
    await createValidationPipe().transform(JSON.parse(raw), asBody);
  } catch (error) {
    if (error instanceof ValidationFailedException) return error.details;
    throw error;
  }
  throw new Error(`${raw} was accepted.`);
}

describe('the validation pipe', () => {
  it('should accept the declared fields', async () => {
    await expect(createValidationPipe().transform({ name: 'Ada', note: 'Hi' }, asBody)).resolves.toEqual({ name: 'Ada', note: 'Hi' });
  });

  it.each(['toString', 'constructor', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__', '__proto__', 'admin'])(
    'should refuse an unknown field named %s, like any other unknown field',
    async (field) => {
      const details = await detailsOf(`{"name":"Ada",${JSON.stringify(field)}:1}`);
      expect(details).toEqual({ [field]: `This request does not accept the field "${field}". Remove it.` });
      expect(Object.keys(details)).toEqual([field]);
    },
  );

  it('should refuse __proto__ carrying the declared fields, which would otherwise become the prototype', async () => {
    const details = await detailsOf('{"__proto__":{"name":"Ada"}}');
    expect(Object.keys(details)).toEqual(['__proto__', 'name']);
  });

  it('should report the unknown fields first and the other fields’ problems with them', async () => {
    await expect(detailsOf('{"toString":"x","name":5}')).resolves.toEqual({
      toString: 'This request does not accept the field "toString". Remove it.',
      name: 'The name must be text.',
    });
  });
});
