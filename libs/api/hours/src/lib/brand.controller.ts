import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ServiceKitConfig } from '@servicekit/api/config';
import type { Brand } from '@servicekit/contracts';

/** Public: the name, colour and logo the pages show (also in `/api/status`). */
@ApiTags('status')
@Controller('brand')
export class BrandController {
  constructor(private readonly config: ServiceKitConfig) {}

  @Get()
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'The brand the pages show (BRAND_NAME, BRAND_COLOR, BRAND_LOGO_URL)' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: { name: { type: 'string' }, color: { type: 'string', nullable: true }, logoUrl: { type: 'string', nullable: true } },
    },
  })
  brand(): Brand {
    return this.config.brand;
  }
}
