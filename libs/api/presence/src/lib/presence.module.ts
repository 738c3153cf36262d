import { Global, Module } from '@nestjs/common';
import { HelpSessionModule } from '@servicekit/api/help-session';
import { CallNotifier, CustomerPresence, MatchModule } from '@servicekit/api/match';
import { QueueModule } from '@servicekit/api/queue';
import { RepAuthModule } from '@servicekit/api/rep-auth';
import { InstanceInbox } from './instance-inbox';
import { PresenceGateway } from './presence.gateway';
import { PresenceStats } from './presence-stats';
import { PresenceService } from './presence.service';
import { StatusController } from './status.controller';

/**
 * Live presence over socket.io (`/presence`). Provides, for everyone: CustomerPresence (who may be handed
 * to a rep), CallNotifier (push state changes) and PresenceStats (figures for operators).
 */
@Global()
@Module({
  imports: [HelpSessionModule, MatchModule, QueueModule, RepAuthModule],
  controllers: [StatusController],
  providers: [
    InstanceInbox,
    PresenceService,
    PresenceGateway,
    { provide: CustomerPresence, useExisting: PresenceService },
    { provide: CallNotifier, useExisting: PresenceService },
    { provide: PresenceStats, useExisting: PresenceService },
  ],
  exports: [CustomerPresence, CallNotifier, PresenceStats],
})
export class PresenceModule {}
