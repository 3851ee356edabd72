import { Body, Controller, Delete, Get, HttpCode, Patch, PipeTransform, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CommonErrors, PathParam, Roles } from '@app/common';
import { isValidNationalId } from '@app/iran';
import { CreateRegistryPersonDto, RegistryPersonDto, RegistryPersonPageDto, RegistryPersonQueryDto, UpdateRegistryPersonDto } from './identity-registry.dto';
import { IdentityRegistryService } from './identity-registry.service';

/** A checksum-valid national ID path parameter (400 VALIDATION_FAILED otherwise). */
class NationalIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (isValidNationalId(value) && /^\d{10}$/.test(value)) return value;
    throw CommonErrors.VALIDATION_FAILED({
      fieldErrors: [{ field: 'nationalId', code: 'NATIONAL_ID_INVALID', message: { fa: 'کد ملی معتبر نیست.', en: 'nationalId is not a valid national ID' } }],
    });
  }
}

const NationalIdParam = () => PathParam('nationalId', { maxLength: 10, example: '0499370899', pattern: '^\\d{10}$', description: '10-digit national ID' }, NationalIdPipe);

@ApiTags('admin-identity-registry')
@ApiBearerAuth('staff')
@Roles('admin')
@Controller('admin/identity-registry')
export class IdentityRegistryController {
  constructor(private readonly registry: IdentityRegistryService) {}

  @Get()
  @ApiOperation({
    summary: 'People of the sandbox identity registry (admin)',
    description:
      'The sandbox provider (IDENTITY_PROVIDER=sandbox) answers from this list: a national ID matches exactly the mobile listed with it ' +
      '(an unlisted national ID matches no mobile), and the civil record is found when national ID and birth date agree. ' +
      'To make a matching pair add a person with your mobile; to make a mismatching pair register with a listed national ID and another mobile.',
  })
  @ApiOkResponse({ type: RegistryPersonPageDto })
  @ApiProblems(400, 401, 403)
  list(@Query() q: RegistryPersonQueryDto): Promise<RegistryPersonPageDto> {
    return this.registry.page(q);
  }

  @Get(':nationalId')
  @ApiOperation({ summary: 'One person of the sandbox identity registry (admin)' })
  @ApiOkResponse({ type: RegistryPersonDto })
  @ApiProblems(400, 401, 403, 404)
  get(@NationalIdParam() nationalId: string): Promise<RegistryPersonDto> {
    return this.registry.get(nationalId);
  }

  @Post()
  @ApiOperation({
    summary: 'Add a person to the sandbox identity registry (admin)',
    description: 'Replaces the entry with the same national ID. Cached registry answers are forgotten. Audited (without names or mobile).',
  })
  @ApiCreatedResponse({ type: RegistryPersonDto })
  @ApiProblems(400, 401, 403)
  put(@Body() dto: CreateRegistryPersonDto): Promise<RegistryPersonDto> {
    return this.registry.put(dto);
  }

  @Patch(':nationalId')
  @ApiOperation({ summary: 'Edit a person of the sandbox identity registry (admin)', description: 'e.g. `{"mobile": null}` makes every mobile mismatch, `{"alive": false}` a deceased record. Audited.' })
  @ApiOkResponse({ type: RegistryPersonDto })
  @ApiProblems(400, 401, 403, 404)
  update(@NationalIdParam() nationalId: string, @Body() dto: UpdateRegistryPersonDto): Promise<RegistryPersonDto> {
    return this.registry.update(nationalId, dto);
  }

  @Delete(':nationalId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a person from the sandbox identity registry (admin)' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(400, 401, 403, 404)
  async remove(@NationalIdParam() nationalId: string): Promise<void> {
    await this.registry.remove(nationalId);
  }
}
