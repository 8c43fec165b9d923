{{/* The push server's alerts (a YAML list; starling.prometheusRule adds the availability alerts
and runbook links). Final outcomes of a delivery: delivered, unregistered (device gone), rejected,
exhausted, expired, overflow; "retried" is not final. */}}
{{- define "push.alerts" -}}
{{- $sel := include "starling.alertSelector" . -}}
- alert: StarlingPushDeliveriesFailing
  expr: sum by (namespace, service) (rate(push_deliveries_total{ {{- $sel -}}, outcome=~"rejected|exhausted|expired|overflow"}[10m])) / sum by (namespace, service) (rate(push_deliveries_total{ {{- $sel -}}, outcome!="retried"}[10m])) > 0.2
  for: 15m
  labels: { severity: warning }
  annotations:
    summary: More than 20% of push notices are not delivered.
- alert: StarlingPushQueueOverflow
  expr: sum by (namespace, service) (increase(push_deliveries_total{ {{- $sel -}}, outcome="overflow"}[10m])) > 0
  for: 5m
  labels: { severity: warning }
  annotations:
    summary: The push delivery queue is full and notices are being dropped.
- alert: StarlingPushNotWatching
  expr: max by (namespace, service) (push_watched_accounts{ {{- $sel -}} }) > 0 and sum by (namespace, service) (push_monitor_streams{ {{- $sel -}} }) == 0
  for: 10m
  labels: { severity: critical }
  annotations:
    summary: The push server watches accounts but holds no monitor stream to any storage node.
- alert: StarlingPushDeliverySlow
  expr: histogram_quantile(0.99, sum by (namespace, service, le) (rate(push_delivery_duration_seconds_bucket{ {{- $sel -}} }[10m]))) > 5
  for: 15m
  labels: { severity: warning }
  annotations:
    summary: Delivery attempts to the push services take more than 5 s at p99.
{{- if .Values.persistence.enabled }}
{{ include "starling.volumeAlerts" (dict "ctx" . "claims" (default (printf "%s-data" (include "starling.fullname" .)) .Values.persistence.existingClaim)) }}
{{- end }}
{{- end -}}
