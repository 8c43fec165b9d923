import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { DmsModule } from '../dms/dms.module';
import { FilesModule } from '../files/files.module';
import { MessagesModule } from '../messages/messages.module';
import { ModerationModule } from '../moderation/moderation.module';
import { RoomsModule } from '../rooms/rooms.module';
import { CleanupJobs } from './cleanup';

@Module({
  imports: [AuthModule, RoomsModule, FilesModule, MessagesModule, DmsModule, ModerationModule],
  providers: [CleanupJobs],
  exports: [CleanupJobs],
})
export class JobsModule {}
