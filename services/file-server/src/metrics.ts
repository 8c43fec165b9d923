// Domain metrics of the file server, registered on the service's platform registry. Stored
// bytes and files come from the database (shared by replicas), refreshed by the expiry job.
import { Injectable } from '@nestjs/common';
import { ONION_OUTCOMES, ONION_VERSIONS, type OnionOutcome, type OnionVersion } from '@starling/onion-server';
import { ServiceMetrics } from '@starling/platform';
import { REJECTION_REASONS, type FileMetrics, type RejectionReason } from './files/file-metrics';

@Injectable()
export class FileServerMetrics implements FileMetrics {
  private readonly uploads;
  private readonly uploadBytes;
  private readonly downloads;
  private readonly downloadBytes;
  private readonly rejections;
  private readonly expiredFiles;
  private readonly expiredBytes;
  private readonly storedFiles;
  private readonly storedBytes;
  private readonly onionRequests;

  constructor(metrics: ServiceMetrics) {
    this.uploads = metrics.counter('file_server_uploads_total', 'Files stored (new or refreshed duplicates)');
    this.uploadBytes = metrics.counter('file_server_upload_bytes_total', 'Bytes of accepted uploads');
    this.downloads = metrics.counter('file_server_downloads_total', 'Files served');
    this.downloadBytes = metrics.counter('file_server_download_bytes_total', 'Bytes of files served');
    this.rejections = metrics.counter('file_server_rejections_total', 'Requests refused, by reason', ['reason'], { reason: REJECTION_REASONS });
    this.expiredFiles = metrics.counter('file_server_expired_files_total', 'Expired files deleted by the expiry job');
    this.expiredBytes = metrics.counter('file_server_expired_bytes_total', 'Bytes of expired files deleted');
    this.storedFiles = metrics.gauge('file_server_stored_files', 'Live files in storage (all replicas)');
    this.storedBytes = metrics.gauge('file_server_stored_bytes', 'Bytes of live files in storage (all replicas)');
    this.onionRequests = metrics.counter('file_server_onion_requests_total', 'Onion requests, by protocol version and outcome', ['version', 'outcome'], {
      version: ONION_VERSIONS,
      outcome: ONION_OUTCOMES,
    });
  }

  uploaded(bytes: number): void {
    this.uploads.inc();
    this.uploadBytes.inc(bytes);
  }

  downloaded(bytes: number): void {
    this.downloads.inc();
    this.downloadBytes.inc(bytes);
  }

  rejected(reason: RejectionReason): void {
    this.rejections.inc({ reason });
  }

  expired(files: number, bytes: number): void {
    this.expiredFiles.inc(files);
    this.expiredBytes.inc(bytes);
  }

  stored(files: number, bytes: number): void {
    this.storedFiles.set(files);
    this.storedBytes.set(bytes);
  }

  /** An onion request by version and outcome; one that could not be read is also a rejection. */
  onion(version: OnionVersion, outcome: OnionOutcome): void {
    this.onionRequests.inc({ version, outcome });
    if (outcome !== 'ok') this.rejected('bad_onion_request');
  }
}
