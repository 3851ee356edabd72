import { Global, Module } from '@nestjs/common';
import { StorageService } from './storage.service';

/** Object storage for document bytes; uploads and validation arrive with the inquiries work. */
@Global()
@Module({
  providers: [StorageService],
  exports: [StorageService],
})
export class DocumentsModule {}
