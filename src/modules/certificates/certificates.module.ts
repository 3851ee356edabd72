import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { InquiriesModule } from '../inquiries/inquiries.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { AdminCertificatesController, CertificatesController, InquiryAnswerController } from './certificates.controller';
import { CertificateReadModel } from './certificate.read-model';
import { CertificatesRepository } from './certificates.repository';
import { CertificatesService } from './certificates.service';
import { Certificate } from './entities/certificate.entity';
import { PdfRenderer } from './pdf-renderer';
import { SigningKeysService } from './signing-keys.service';

/**
 * Answer certificates: Ed25519-signed answers, JWKS, public verification, revocation, the
 * printable HTML and the PDF. The desk issues certificates through `CertificatesService.issue`.
 */
@Module({
  imports: [MikroOrmModule.forFeature([Certificate]), DocumentsModule, InquiriesModule, RateLimitModule],
  controllers: [CertificatesController, AdminCertificatesController, InquiryAnswerController],
  providers: [CertificatesRepository, CertificatesService, SigningKeysService, PdfRenderer, CertificateReadModel],
  exports: [CertificatesService, CertificateReadModel],
})
export class CertificatesModule {}
