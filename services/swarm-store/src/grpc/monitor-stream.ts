// The Monitor RPC's server side: one bidirectional stream per push service. Each request is
// answered on the stream; the registry writes notices and ends to it; when the stream goes, so do
// its subscriptions. A push service that stops reading is cut off rather than buffered without end
// (it reconnects and subscribes again).
import type { Logger } from '@starling/platform';
import { grpc, statusError, type swarmstore } from '@starling/proto';
import type { MonitorRegistry } from '../monitor/monitor-registry';
import { answerMonitorRequest, type MonitorSink } from '../monitor/monitor-wire';

type MonitorCall = grpc.ServerDuplexStream<swarmstore.MonitorRequest, swarmstore.MonitorResponse>;

/** Bytes a stream may have waiting to be sent before it is cut off. */
export const MONITOR_MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

export function serveMonitorStream(call: MonitorCall, monitors: MonitorRegistry<MonitorSink>, logger: Logger): void {
  let open = true;
  const finish = (): void => {
    if (!open) return;
    open = false;
    monitors.closeStream(sink);
  };
  const sink: MonitorSink = {
    write(event) {
      if (!open || call.cancelled || !call.writable) return;
      if (call.writableLength > MONITOR_MAX_BUFFERED_BYTES) {
        finish();
        logger.warn('a push monitor stream fell behind; closed');
        call.emit('error', statusError(grpc.status.RESOURCE_EXHAUSTED, 'monitor stream is not being read'));
        return;
      }
      call.write(event);
    },
  };
  call.on('data', (request: swarmstore.MonitorRequest) => sink.write(answerMonitorRequest(monitors, sink, request)));
  call.on('end', () => {
    finish();
    if (call.writable) call.end();
  });
  call.on('cancelled', finish);
  call.on('error', finish);
  call.on('close', finish);
}
