import { Controller, Get, Header } from '@nestjs/common';
import { IntakeService } from '@servicekit/api/hours';
import type { ServiceStatusResponse } from '@servicekit/contracts';

/**
 * Public and anonymous: what the landing page says before anything is asked (open, closed and when it opens,
 * intake paused, nobody online, busy; the wait for someone arriving now; the brand). No personal data.
 */
@Controller('status')
export class StatusController {
  constructor(private readonly intake: IntakeService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  status(): Promise<ServiceStatusResponse> {
    return this.intake.status();
  }
}
