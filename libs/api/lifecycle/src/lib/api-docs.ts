import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Security schemes named in the controllers' `@ApiBearerAuth(…)`. */
const API_AUTH = { customer: 'customer', rep: 'rep', operator: 'operator' } as const;

/**
 * The OpenAPI document of every endpoint, as JSON at `/api/docs-json` and browsable at `/api/docs`. Call it
 * after `setGlobalPrefix('api')` so that the paths carry the prefix.
 */
export function serveApiDocs(app: INestApplication): void {
  const document = new DocumentBuilder()
    .setTitle('Service Kit API')
    .setDescription(
      'Help sessions, the FIFO queue, representatives and operators. Errors are `{statusCode, error, code, message, details?}` ' +
        'with a sentence a person can act on.',
    )
    .setVersion('1')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The customerToken of the help session.' },
      API_AUTH.customer,
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The rep token from sign-in (or its cookie).' },
      API_AUTH.rep,
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The OPS_TOKEN of this deployment.' }, API_AUTH.operator)
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, document), {
    jsonDocumentUrl: 'api/docs-json',
    raw: ['json'],
    customSiteTitle: 'Service Kit API',
  });
}
