import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { pageMeta, pageOffset, PageQuery } from '@app/common';
import { AuditService } from '../audit/audit.service';
import { PropertyBillingFacts } from '../properties/billing-facts.read-model';
import { PropertiesService } from '../properties/properties.service';
import { BillingErrors } from './billing.errors';
import { CreateGuildLicenceDto, GuildLicenceDto, GuildLicencePageDto } from './dto/guild.dto';
import { GuildLicencesRepository } from './guild-licences.repository';
import { GuildLicence } from './entities/guild-licence.entity';
import { cte, run, runPage } from '../../database/sql';

/** Guild licences (پروانه کسب): minimal administration. */
@Injectable()
export class GuildsService {
  constructor(
    private readonly em: EntityManager,
    private readonly properties: PropertiesService,
    private readonly facts: PropertyBillingFacts,
    private readonly audit: AuditService,
    private readonly licences: GuildLicencesRepository,
  ) {}

  async create(dto: CreateGuildLicenceDto, em: EntityManager = this.em.fork()): Promise<GuildLicenceDto> {
    const code = this.properties.parseCode(dto.renewalCode);
    const guildCode = dto.guildCode.toUpperCase();
    try {
      return await em.transactional(async (tx) => {
        const property = await run(tx, this.facts.subjectByCode(code.canonical));
        if (!property) throw BillingErrors.PROPERTY_NOT_FOUND();
        if (await tx.count(GuildLicence, { guildCode })) throw BillingErrors.GUILD_CODE_TAKEN();
        const g = tx.create(GuildLicence, {
          guildCode,
          businessName: dto.businessName,
          category: dto.category,
          ownerNationalId: dto.ownerNationalId,
          property: property.id,
          region: property.region,
          areaM2: dto.areaM2,
        });
        tx.persist(g);
        const created = toDto(g, property.code);
        await run(tx, this.audit.record({ action: 'billing.guild_licence.created', target: { type: 'guild_licence', id: guildCode }, after: created }));
        return created;
      });
    } catch (err) {
      // the same code registered at the same moment by someone else (the count above saw neither)
      if (err instanceof UniqueConstraintViolationException) throw BillingErrors.GUILD_CODE_TAKEN();
      throw err;
    }
  }

  async get(guildCode: string): Promise<GuildLicenceDto> {
    const g = await this.em.findOne(GuildLicence, { guildCode: guildCode.toUpperCase() }, { populate: ['property'] });
    if (!g) throw BillingErrors.GUILD_NOT_FOUND();
    return toDto(g);
  }

  async list(query: PageQuery): Promise<GuildLicencePageDto> {
    const { limit, offset } = pageOffset(query);
    // every property (no code excepted) as the subjects the licences join on
    const properties = cte(this.facts.subjectsExcept([]), 'property_subject');
    const page = await runPage(this.em, (l, o) => this.licences.page(properties, l, o), limit, offset);
    return { items: page.items, meta: pageMeta(query, page.total) };
  }
}

/** `renewalCode`: the property's (read from the relation unless the caller has it). */
function toDto(g: GuildLicence, renewalCode = g.property.renewalCode): GuildLicenceDto {
  return {
    guildCode: g.guildCode,
    businessName: g.businessName,
    category: g.category,
    ownerNationalId: g.ownerNationalId,
    renewalCode,
    region: g.region,
    areaM2: g.areaM2,
    active: g.active,
  };
}
