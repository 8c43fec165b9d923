{{/* Settings of services/open-groups/src/config.ts that the chart owns. */}}
{{- define "open-groups.env" -}}
{{- $c := .Values.communities -}}
- name: OPEN_GROUPS_HOST
  value: "0.0.0.0"
- name: OPEN_GROUPS_OPS_PORT
  value: {{ .Values.ports.ops | quote }}
- name: OPEN_GROUPS_DRAIN_DELAY
  value: {{ printf "%ds" (int .Values.shutdown.drainDelaySeconds) | quote }}
- name: OPEN_GROUPS_PORT
  value: {{ .Values.ports.http | quote }}
- name: OPEN_GROUPS_DATA_DIR
  value: /data
{{- with .Values.database.schema }}
- name: OPEN_GROUPS_DB_SCHEMA
  value: {{ . | quote }}
{{- end }}
- name: OPEN_GROUPS_ROOMS
  value: {{ $c.rooms | quote }}
{{- with $c.baseUrl }}
- name: OPEN_GROUPS_BASE_URL
  value: {{ . | quote }}
{{- end }}
- name: OPEN_GROUPS_REQUIRE_BLINDING
  value: {{ $c.requireBlinding | quote }}
- name: OPEN_GROUPS_FILE_EXPIRY_DAYS
  value: {{ $c.fileExpiryDays | quote }}
- name: OPEN_GROUPS_MAX_FILE_SIZE
  value: {{ $c.maxFileSize | quote }}
- name: OPEN_GROUPS_DM_EXPIRY_DAYS
  value: {{ $c.dmExpiryDays | quote }}
{{ include "starling.keyEnv" (dict "ctx" . "keys" .Values.keys "name" (printf "%s-key" (include "starling.fullname" .)) "env" "OPEN_GROUPS_SERVER_KEY") }}
{{- end -}}
