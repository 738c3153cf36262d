import { Global, Module } from '@nestjs/common';
import { HelpSessionModule, HelpSessionService } from '@servicekit/api/help-session';
import { CustomerClaims } from '@servicekit/api/queue';

/**
 * Ports that one lib declares and a lib above it implements, bound here so that neither lib imports the
 * other's module. Global: the module that declares a port sees its binding without importing this one.
 */
@Global()
@Module({
  imports: [HelpSessionModule],
  providers: [{ provide: CustomerClaims, useExisting: HelpSessionService }],
  exports: [CustomerClaims],
})
export class PortsModule {}
