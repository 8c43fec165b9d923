{{/* The storage nodes' alerts (a YAML list; starling.prometheusRule adds the availability alerts
and runbook links). */}}
{{- define "swarm-store.alerts" -}}
{{- $sel := include "starling.alertSelector" . -}}
- alert: StarlingNodeOutsideSwarm
  expr: max by (namespace, service, pod) (swarm_store_in_swarm{ {{- $sel -}} }) == 0
  for: 10m
  labels: { severity: warning }
  annotations:
    summary: "Storage node {{`{{ $labels.pod }}`}} is in no swarm of the network map."
- alert: StarlingReplicationBacklog
  expr: max by (namespace, service, pod) (swarm_store_replication_queue_depth{ {{- $sel -}} }) > 1000
  for: 10m
  labels: { severity: warning }
  annotations:
    summary: "Storage node {{`{{ $labels.pod }}`}} has {{`{{ $value }}`}} replication items waiting for peers."
- alert: StarlingStorageRpcSlow
  expr: histogram_quantile(0.99, sum by (namespace, service, le) (rate(storage_rpc_duration_seconds_bucket{ {{- $sel -}} }[5m]))) > 1
  for: 10m
  labels: { severity: warning }
  annotations:
    summary: "Storage RPC p99 latency is {{`{{ $value | humanizeDuration }}`}} (above 1 s)."
- alert: StarlingStorageRpcErrors
  expr: sum by (namespace, service) (rate(swarm_store_rpc_requests_total{ {{- $sel -}}, status=~"5.."}[5m])) / sum by (namespace, service) (rate(swarm_store_rpc_requests_total{ {{- $sel -}} }[5m])) > 0.05
  for: 10m
  labels: { severity: warning }
  annotations:
    summary: "{{`{{ $value | humanizePercentage }}`}} of storage RPC requests fail with a 5xx status."
{{- if .Values.persistence.enabled }}
{{ include "starling.volumeAlerts" (dict "ctx" . "claims" (printf "data-%s-[0-9]+" (include "starling.fullname" .))) }}
{{- end }}
{{- end -}}
