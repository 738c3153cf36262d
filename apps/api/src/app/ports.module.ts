import { Global, Module } from '@nestjs/common';
import { ChatDelivery, ChatModule, ChatService } from '@servicekit/api/chat';
import {
  HelpSessionModule,
  HelpSessionRecords,
  HelpSessionRecovery,
  HelpSessionService,
  SessionErasure,
  SessionKit,
} from '@servicekit/api/help-session';
import { StaffFigures } from '@servicekit/api/hours';
import { CallNotifier, CustomerPresence, HelpSessionFacts, MatchModule, MatchService } from '@servicekit/api/match';
import { CallWatch, OpsModule, RepFigures } from '@servicekit/api/ops';
import {
  CustomerRecovery,
  Departures,
  LeaseRecords,
  PresenceModule,
  PresenceNotifier,
  PresenceStats,
  RepActivity,
} from '@servicekit/api/presence';
import { CustomerClaims } from '@servicekit/api/queue';
import { RepAuthModule, RepSessions, RepSignOuts, RepStatusService } from '@servicekit/api/rep-auth';

/**
 * Ports that one lib declares and another lib implements, bound here so that no lib imports a module above
 * it. Global: the module that declares a port sees its binding without importing this one. A factory that
 * returns the implementation as the port makes the compiler check that it fits.
 */
@Global()
@Module({
  imports: [HelpSessionModule, MatchModule, PresenceModule, RepAuthModule, OpsModule, ChatModule],
  providers: [
    // POST /api/queue/next (queue) makes a reservation (match).
    { provide: CustomerClaims, useExisting: MatchService },
    // The match reads the customer's details and whether the help session is over (help-session).
    { provide: HelpSessionFacts, useExisting: HelpSessionRecords },
    // Help sessions and the match ask whether a customer is here, and push state changes (presence); the
    // ops lib watches the rep states go by to count each rep's calls.
    { provide: CustomerPresence, useExisting: LeaseRecords },
    {
      provide: CallNotifier,
      inject: [PresenceNotifier, RepFigures, RepSessions, RepStatusService],
      useFactory: (notifier: PresenceNotifier, figures: RepFigures, sessions: RepSessions, status: RepStatusService): CallNotifier =>
        new CallWatch(notifier, figures, sessions, status),
    },
    // Presence tells help sessions who left for good, and asks the match how busy its reps are.
    { provide: Departures, inject: [HelpSessionService], useFactory: (sessions: HelpSessionService): Departures => sessions },
    { provide: RepActivity, inject: [MatchService], useFactory: (matches: MatchService): RepActivity => matches },
    // A rep session that ends (signed out, by a supervisor) closes the rep's sockets wherever they are (presence).
    {
      provide: RepSignOuts,
      inject: [PresenceNotifier],
      useFactory: (notifier: PresenceNotifier): RepSignOuts => ({
        signedOut: (repId, reason) => notifier.send({ kind: 'rep', id: repId }, 'rep:signed-out', { reason }),
      }),
    },
    // After the store lost its keys, presence has the customers' help sessions restored (help-session); the
    // kits are the help-session lib's own, opaque to presence.
    {
      provide: CustomerRecovery,
      inject: [HelpSessionRecovery],
      useFactory: (recovery: HelpSessionRecovery): CustomerRecovery => ({
        kit: (id) => recovery.kit(id),
        restore: (kits, epoch) => recovery.restore(kits as readonly SessionKit[], epoch),
      }),
    },
    // Intake (opening hours, limits, estimates) counts the reps online and busy (presence).
    { provide: StaffFigures, inject: [PresenceStats], useFactory: (stats: PresenceStats): StaffFigures => stats },
    // Chat messages reach the other side over its presence socket, wherever it is held (presence); the end of a
    // help session erases its chat (help-session → chat).
    {
      provide: ChatDelivery,
      inject: [PresenceNotifier],
      useFactory: (notifier: PresenceNotifier): ChatDelivery => ({
        deliver: (to, message) =>
          notifier.send(
            to.kind === 'customer' ? { kind: 'customer', id: to.helpSessionId } : { kind: 'rep', id: to.repId },
            'chat:message',
            message,
          ),
      }),
    },
    {
      provide: SessionErasure,
      inject: [ChatService],
      useFactory: (chat: ChatService): SessionErasure => ({ erase: (id) => chat.erase(id) }),
    },
  ],
  exports: [
    CustomerClaims,
    HelpSessionFacts,
    CustomerPresence,
    CallNotifier,
    Departures,
    RepActivity,
    RepSignOuts,
    CustomerRecovery,
    StaffFigures,
    ChatDelivery,
    SessionErasure,
  ],
})
export class PortsModule {}
