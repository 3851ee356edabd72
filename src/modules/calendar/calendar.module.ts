import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { AdminCalendarController, CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';
import { CalendarDay } from './entities/calendar-day.entity';

@Module({
  imports: [MikroOrmModule.forFeature([CalendarDay])],
  controllers: [CalendarController, AdminCalendarController],
  providers: [CalendarService],
  exports: [CalendarService],
})
export class CalendarModule {}
