import { Module } from '@nestjs/common';
import { HelpSessionModule } from '@servicekit/api/help-session';
import { HoursModule } from '@servicekit/api/hours';
import { MatchModule } from '@servicekit/api/match';
import { QueueModule } from '@servicekit/api/queue';
import { RepAuthModule } from '@servicekit/api/rep-auth';
import { CustomerKits } from './customer-kits';
import { InboxRecipient, InstanceInbox } from './instance-inbox';
import { InstanceFigures } from './instance-figures';
import { InstanceRoster } from './instance-roster';
import { LeaseRecords } from './lease.records';
import { LocalSockets } from './local-sockets';
import { PositionPusher } from './position-pusher';
import { PresenceGateway } from './presence.gateway';
import { PresenceNotifier } from './presence.notifier';
import { PresenceService } from './presence.service';
import { PresenceStats } from './presence-stats';
import { StatusController } from './status.controller';
import { StoreEpoch } from './store-epoch';

/**
 * Live presence over socket.io (`/presence`) and the public status. Exports what other libs' ports are bound
 * to in the composition root: LeaseRecords (CustomerPresence), PresenceNotifier (CallNotifier), and
 * PresenceStats for operators. Expects Departures, RepActivity and CustomerRecovery from there.
 */
@Module({
  imports: [HelpSessionModule, HoursModule, MatchModule, QueueModule, RepAuthModule],
  controllers: [StatusController],
  providers: [
    LeaseRecords,
    LocalSockets,
    { provide: InboxRecipient, useExisting: LocalSockets },
    InstanceInbox,
    InstanceRoster,
    StoreEpoch,
    CustomerKits,
    PresenceNotifier,
    PresenceService,
    PositionPusher,
    InstanceFigures,
    { provide: PresenceStats, useExisting: InstanceFigures },
    PresenceGateway,
  ],
  exports: [LeaseRecords, PresenceNotifier, PresenceStats],
})
export class PresenceModule {}
