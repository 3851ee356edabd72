import { CanActivate, Injectable } from '@nestjs/common';
import { CommonErrors } from '@app/common';
import { NotificationsService } from './notifications.service';

/**
 * Hides the sandbox outbox outside the sandbox: answers `404 ROUTE_NOT_FOUND` before input
 * validation, so the path is indistinguishable from one that does not exist.
 */
@Injectable()
export class SandboxOutboxGuard implements CanActivate {
  constructor(private readonly notifications: NotificationsService) {}

  canActivate(): boolean {
    if (!this.notifications.sandboxOutboxEnabled()) throw CommonErrors.ROUTE_NOT_FOUND();
    return true;
  }
}
