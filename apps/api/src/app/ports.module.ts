import { Global, Module } from '@nestjs/common';
import { HelpSessionModule, HelpSessionRecords, HelpSessionService } from '@servicekit/api/help-session';
import { RepFigures } from '@servicekit/api/hours';
import { CallNotifier, CustomerPresence, HelpSessionFacts, MatchModule, MatchService } from '@servicekit/api/match';
import { Departures, LeaseRecords, PresenceModule, PresenceNotifier, PresenceStats, RepActivity } from '@servicekit/api/presence';
import { CustomerClaims } from '@servicekit/api/queue';

/**
 * Ports that one lib declares and another lib implements, bound here so that no lib imports a module above
 * it. Global: the module that declares a port sees its binding without importing this one. A factory that
 * returns the implementation as the port makes the compiler check that it fits.
 */
@Global()
@Module({
  imports: [HelpSessionModule, MatchModule, PresenceModule],
  providers: [
    // POST /api/queue/next (queue) makes a reservation (match).
    { provide: CustomerClaims, useExisting: MatchService },
    // The match reads the customer's details and whether the help session is over (help-session).
    { provide: HelpSessionFacts, useExisting: HelpSessionRecords },
    // Help sessions and the match ask whether a customer is here, and push state changes (presence).
    { provide: CustomerPresence, useExisting: LeaseRecords },
    { provide: CallNotifier, useExisting: PresenceNotifier },
    // Presence tells help sessions who left for good, and asks the match how busy its reps are.
    { provide: Departures, inject: [HelpSessionService], useFactory: (sessions: HelpSessionService): Departures => sessions },
    { provide: RepActivity, inject: [MatchService], useFactory: (matches: MatchService): RepActivity => matches },
    // Intake (opening hours, limits, estimates) counts the reps online and busy (presence).
    { provide: RepFigures, inject: [PresenceStats], useFactory: (stats: PresenceStats): RepFigures => stats },
  ],
  exports: [CustomerClaims, HelpSessionFacts, CustomerPresence, CallNotifier, Departures, RepActivity, RepFigures],
})
export class PortsModule {}
