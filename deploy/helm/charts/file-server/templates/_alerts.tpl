{{/* The file server's alerts (a YAML list; starling.prometheusRule adds the availability alerts
and runbook links). */}}
{{- define "file-server.alerts" -}}
{{- $sel := include "starling.alertSelector" . -}}
- alert: StarlingFileServerRejecting
  expr: sum by (namespace, service) (rate(file_server_rejections_total{ {{- $sel -}} }[10m])) / (sum by (namespace, service) (rate(file_server_uploads_total{ {{- $sel -}} }[10m])) + sum by (namespace, service) (rate(file_server_downloads_total{ {{- $sel -}} }[10m]))) > 0.2
  for: 15m
  labels: { severity: warning }
  annotations:
    summary: The file server refuses more than 20% of requests.
{{- if .Values.persistence.enabled }}
{{ include "starling.volumeAlerts" (dict "ctx" . "claims" (default (printf "%s-data" (include "starling.fullname" .)) .Values.persistence.existingClaim)) }}
{{- end }}
{{- end -}}
