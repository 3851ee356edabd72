import { Global, Module } from '@nestjs/common';
import { DocumentIntakeService } from './document-intake.service';
import { StorageService } from './storage.service';

/**
 * Documents: object storage for their bytes (StorageService) and upload intake — content
 * sniffing, ClamAV scanning and re-encoding (DocumentIntakeService).
 */
@Global()
@Module({
  providers: [StorageService, DocumentIntakeService],
  exports: [StorageService, DocumentIntakeService],
})
export class DocumentsModule {}
