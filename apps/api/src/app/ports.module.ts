import { Global, Module } from '@nestjs/common';
import { HelpSessionModule, HelpSessionRecords } from '@servicekit/api/help-session';
import { HelpSessionFacts, MatchModule, MatchService } from '@servicekit/api/match';
import { CustomerClaims } from '@servicekit/api/queue';

/**
 * Ports that one lib declares and a lib above it implements, bound here so that neither lib imports the
 * other's module. Global: the module that declares a port sees its binding without importing this one.
 */
@Global()
@Module({
  imports: [HelpSessionModule, MatchModule],
  providers: [
    // POST /api/queue/next (queue lib) makes a reservation (match lib).
    { provide: CustomerClaims, useExisting: MatchService },
    // The match reads the customer's details and whether the help session is over (help-session lib).
    { provide: HelpSessionFacts, useExisting: HelpSessionRecords },
  ],
  exports: [CustomerClaims, HelpSessionFacts],
})
export class PortsModule {}
