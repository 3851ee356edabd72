import { raw } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Actor, CommonErrors, pageMeta, pageOffset, PageQuery } from '@app/common';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { clientKey, RateLimitService } from '../rate-limit/rate-limit.service';
import { TokenService } from './auth/token.service';
import { OAuthTokenDto } from './dto/citizen-auth.dto';
import {
  ApiClientDto,
  ApiClientSecretDto,
  CreateClientDto,
  CreateOrganizationDto,
  OrganizationDto,
  OrganizationPageDto,
  OrgWhoAmIDto,
  UpdateClientDto,
  UpdateOrganizationDto,
} from './dto/organization.dto';
import { ApiClient } from './entities/api-client.entity';
import { Organization, OrganizationKind } from './entities/organization.entity';
import { MembershipErrors } from './membership.errors';
import { type Query, run, runPage } from '../../database/sql';
import { OrganizationRepository } from './organization.repository';

/** Client secrets are 256-bit random values, so a plain SHA-256 is a sufficient hash. */
const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Banks, offices and notaries, their OAuth clients, and the client-credentials grant. */
@Injectable()
export class OrganizationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly limits: RateLimitService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly organizations: OrganizationRepository,
  ) {}

  async create(dto: CreateOrganizationDto, em: EntityManager = this.em.fork()): Promise<OrganizationDto> {
    if (dto.kind === OrganizationKind.Notary && !dto.notaryOfficeNumber) throw MembershipErrors.NOTARY_NUMBER_REQUIRED();
    return em.transactional(async (tx) => {
      if (await tx.count(Organization, { legalNationalId: dto.legalNationalId })) {
        throw CommonErrors.CONFLICT({
          fieldErrors: [{ field: 'legalNationalId', code: 'unique', message: CommonErrors.specs.CONFLICT.message }],
        });
      }
      const org = tx.create(Organization, {
        kind: dto.kind,
        name: dto.name,
        legalNationalId: dto.legalNationalId,
        notaryOfficeNumber: dto.kind === OrganizationKind.Notary ? dto.notaryOfficeNumber : null,
      });
      tx.persist(org);
      await run(tx, this.audit.record({ action: 'organization.created', target: { type: 'organization', id: org.id }, after: orgDto(org) }));
      return orgDto(org);
    });
  }

  async whoAmI(actor: Actor): Promise<OrgWhoAmIDto> {
    const org = await this.findOrg(this.em, actor.id!);
    if (!org.active) throw CommonErrors.FORBIDDEN();
    return { organization: orgDto(org), clientId: actor.clientId!, scopes: actor.roles ?? [] };
  }

  /** One organization for other modules (null when unknown); they check `active` themselves. */
  async find(id: string): Promise<OrganizationDto | null> {
    const org = /^[0-9a-f-]{36}$/i.test(id) ? await this.em.fork().findOne(Organization, { id }) : null;
    return org ? orgDto(org) : null;
  }

  /**
   * Locks the organization's row until the caller's transaction ends (run it in that
   * transaction): serializes another module's changes of one organization, such as its
   * webhook endpoints against their limit. False: no such organization.
   */
  lock(id: string): Query<boolean> {
    return this.organizations.lock(id);
  }

  async list(q: PageQuery): Promise<OrganizationPageDto> {
    const { limit, offset } = pageOffset(q);
    const page = await runPage(this.em, (l, o) => this.organizations.page(l, o), limit, offset);
    return { items: page.items.map(orgDto), meta: pageMeta(q, page.total) };
  }

  /** Disabling ends the access tokens of every client of the organization at once (their epochs are bumped). */
  async update(id: string, dto: UpdateOrganizationDto): Promise<OrganizationDto> {
    return this.em.fork().transactional(async (tx) => {
      const org = await this.findOrg(tx, id);
      const before = orgDto(org);
      if (dto.name !== undefined) org.name = dto.name;
      if (dto.active === false && org.active) await this.endClientTokens(tx, { organization: org.id });
      if (dto.active !== undefined) org.active = dto.active;
      await run(tx, this.audit.record({ action: 'organization.updated', target: { type: 'organization', id }, before, after: orgDto(org) }));
      return orgDto(org);
    });
  }

  async listClients(organizationId: string): Promise<ApiClientDto[]> {
    await this.findOrg(this.em, organizationId);
    const rows = await this.em.find(ApiClient, { organization: organizationId }, { orderBy: { createdAt: 'asc' } });
    return rows.map(clientDto);
  }

  async createClient(organizationId: string, dto: CreateClientDto, em: EntityManager = this.em.fork()): Promise<ApiClientSecretDto> {
    return em.transactional(async (tx) => {
      const org = await this.findOrg(tx, organizationId);
      const clientSecret = newSecret();
      const client = tx.create(ApiClient, {
        organization: org,
        clientId: `qz_${org.kind}_${randomBytes(6).toString('hex')}`,
        name: dto.name,
        scopes: [...dto.scopes].sort(),
        secretHash: hashSecret(clientSecret),
      });
      tx.persist(client);
      await run(tx, this.audit.record({
        action: 'api_client.created',
        target: { type: 'api_client', id: client.clientId },
        after: { organizationId, scopes: client.scopes, name: client.name },
      }));
      return { ...clientDto(client), clientSecret };
    });
  }

  /** Changing the scopes or disabling the client ends its access tokens at once (its epoch is bumped). */
  async updateClient(clientId: string, dto: UpdateClientDto): Promise<ApiClientDto> {
    return this.em.fork().transactional(async (tx) => {
      const client = await this.findClient(tx, clientId);
      const before = clientDto(client);
      const scopes = dto.scopes ? [...new Set(dto.scopes)].sort() : client.scopes;
      if (scopes.join(' ') !== client.scopes.join(' ') || (dto.active === false && client.active)) {
        await this.endClientTokens(tx, { id: client.id });
      }
      client.scopes = scopes;
      if (dto.active !== undefined) client.active = dto.active;
      await run(tx, this.audit.record({ action: 'api_client.updated', target: { type: 'api_client', id: clientId }, before, after: clientDto(client) }));
      return clientDto(client);
    });
  }

  /** New secret shown once; the old one keeps working for CLIENT_SECRET_OVERLAP_HOURS. */
  async rotateSecret(clientId: string): Promise<ApiClientSecretDto> {
    return this.em.fork().transactional(async (tx) => {
      const client = await this.findClient(tx, clientId);
      const clientSecret = newSecret();
      client.previousSecretHash = client.secretHash;
      client.previousSecretExpiresAt = new Date(Date.now() + this.config.auth.clientSecretOverlapHours * 3600_000);
      client.secretHash = hashSecret(clientSecret);
      await run(tx, this.audit.record({
        action: 'api_client.secret_rotated',
        target: { type: 'api_client', id: clientId },
        metadata: { previousValidUntil: client.previousSecretExpiresAt.toISOString() },
      }));
      return { ...clientDto(client), clientSecret };
    });
  }

  /** OAuth 2.0 client-credentials grant. */
  async token(input: { clientId?: string; clientSecret?: string; scope?: string; ip?: string }): Promise<OAuthTokenDto> {
    const em = this.em.fork();
    const ipKey = clientKey(input.ip);
    await this.limits.consume({ key: `oauth:ip:${ipKey}`, limit: 600, windowSeconds: 60 });
    if (!input.clientId || !input.clientSecret) throw invalidClient();
    await this.limits.consume({ key: `oauth:client:${input.clientId.slice(0, 100)}`, limit: 120, windowSeconds: 60 });
    const client = await em.findOne(ApiClient, { clientId: input.clientId }, { populate: ['organization'] });
    const presented = hashSecret(input.clientSecret);
    const valid =
      !!client &&
      client.active &&
      client.organization.active &&
      (sameHash(presented, client.secretHash) ||
        (!!client.previousSecretHash &&
          !!client.previousSecretExpiresAt &&
          client.previousSecretExpiresAt > new Date() &&
          sameHash(presented, client.previousSecretHash)));
    if (!valid) {
      await run(em, this.audit.record({
        action: 'oauth.token.failed',
        target: { type: 'api_client', id: input.clientId.slice(0, 100) },
        actor: { type: 'anonymous', id: null },
      }));
      throw invalidClient();
    }
    const requested = input.scope ? [...new Set(input.scope.split(/\s+/).filter(Boolean))] : client.scopes;
    if (requested.some((s) => !client.scopes.includes(s))) {
      throw MembershipErrors.INVALID_SCOPE({ extensions: { error: 'invalid_scope' } });
    }
    const ttl = this.config.auth.orgTokenTtlSeconds;
    const accessToken = this.tokens.signAccess(
      { sub: client.organization.id, typ: 'organization', scopes: requested, cid: client.clientId, ep: client.tokenEpoch },
      ttl,
    );
    client.lastUsedAt = new Date();
    await run(em, this.audit.record({
      action: 'oauth.token.issued',
      target: { type: 'api_client', id: client.clientId },
      actor: { type: 'organization', id: client.organization.id, clientId: client.clientId },
      metadata: { scopes: requested },
    }));
    await em.flush();
    return { access_token: accessToken, token_type: 'Bearer', expires_in: ttl, scope: requested.join(' ') };
  }

  /** Bumps the token epoch of the matching clients (one atomic update): their access tokens are refused from now on. */
  private async endClientTokens(em: EntityManager, where: { id: string } | { organization: string }): Promise<void> {
    await em.nativeUpdate(ApiClient, where, { tokenEpoch: raw('token_epoch + 1') });
  }

  private async findOrg(em: EntityManager, id: string): Promise<Organization> {
    const org = /^[0-9a-f-]{36}$/i.test(id) ? await em.findOne(Organization, { id }) : null;
    if (!org) throw MembershipErrors.ORGANIZATION_NOT_FOUND();
    return org;
  }

  private async findClient(em: EntityManager, clientId: string): Promise<ApiClient> {
    const client = await em.findOne(ApiClient, { clientId }, { populate: ['organization'] });
    if (!client) throw MembershipErrors.CLIENT_NOT_FOUND();
    return client;
  }
}

function invalidClient() {
  return MembershipErrors.INVALID_CLIENT({ extensions: { error: 'invalid_client' } });
}

function newSecret(): string {
  return `cs_${randomBytes(32).toString('base64url')}`;
}

function orgDto(o: Pick<Organization, 'id' | 'kind' | 'name' | 'legalNationalId' | 'notaryOfficeNumber' | 'active' | 'createdAt'>): OrganizationDto {
  return {
    id: o.id,
    kind: o.kind,
    name: o.name,
    legalNationalId: o.legalNationalId,
    notaryOfficeNumber: o.notaryOfficeNumber ?? null,
    active: o.active,
    createdAt: o.createdAt.toISOString(),
  };
}

function clientDto(c: ApiClient): ApiClientDto {
  const overlap = c.previousSecretExpiresAt && c.previousSecretExpiresAt > new Date() ? c.previousSecretExpiresAt.toISOString() : null;
  return {
    clientId: c.clientId,
    name: c.name,
    scopes: c.scopes,
    active: c.active,
    organizationId: c.organization.id,
    previousSecretValidUntil: overlap,
    lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
  };
}
