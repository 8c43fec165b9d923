{{/*
Labels. `app.kubernetes.io/component` is the service name and `part-of: starling`: NetworkPolicies
select peers by these two, so they hold whether the charts are installed by the umbrella or one
release per service.
*/}}
{{- define "starling.selectorLabels" -}}
app.kubernetes.io/name: {{ include "starling.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "starling.labels" -}}
helm.sh/chart: {{ include "starling.chart" . }}
{{ include "starling.selectorLabels" . }}
app.kubernetes.io/component: {{ .Chart.Name }}
app.kubernetes.io/part-of: starling
{{- with .Chart.AppVersion }}
app.kubernetes.io/version: {{ . | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Peer selector for another Starling service, e.g. (include "starling.peerLabels" "entry-relay"). */}}
{{- define "starling.peerLabels" -}}
app.kubernetes.io/component: {{ . }}
app.kubernetes.io/part-of: starling
{{- end -}}
