{{/* Settings of services/file-server/src/config.ts that the chart owns. */}}
{{- define "file-server.env" -}}
- name: FILE_SERVER_HOST
  value: "0.0.0.0"
- name: FILE_SERVER_OPS_PORT
  value: {{ .Values.ports.ops | quote }}
- name: FILE_SERVER_DRAIN_DELAY
  value: {{ printf "%ds" (int .Values.shutdown.drainDelaySeconds) | quote }}
- name: FILE_SERVER_PORT
  value: {{ .Values.ports.http | quote }}
- name: FILE_SERVER_DATA_DIR
  value: /data
{{- with .Values.database.schema }}
- name: FILE_SERVER_DB_SCHEMA
  value: {{ . | quote }}
{{- end }}
- name: FILE_SERVER_BLOB_STORE
  value: {{ .Values.files.blobStore | quote }}
- name: FILE_SERVER_MAX_BYTES
  value: {{ .Values.files.maxBytes | quote }}
- name: FILE_SERVER_DEFAULT_TTL
  value: {{ .Values.files.defaultTtl | quote }}
- name: FILE_SERVER_MIN_TTL
  value: {{ .Values.files.minTtl | quote }}
- name: FILE_SERVER_MAX_TTL
  value: {{ .Values.files.maxTtl | quote }}
{{- with .Values.files.publicUrl }}
- name: FILE_SERVER_PUBLIC_URL
  value: {{ . | quote }}
{{- end }}
{{ include "starling.keyEnv" (dict "ctx" . "keys" .Values.keys "name" (printf "%s-key" (include "starling.fullname" .)) "env" "FILE_SERVER_X25519_KEY") }}
{{- include "file-server.turnEnv" . }}
{{- end -}}

{{/* TURN credentials: a TURN server of the operator's own (turn.uris), else the chart's
(global.turn.enabled), else none. */}}
{{- define "file-server.turnEnv" -}}
{{- $own := .Values.turn -}}
{{- $uris := "" -}}
{{- $secret := "" -}}
{{- $key := "" -}}
{{- if $own.uris -}}
{{- $uris = join "," $own.uris -}}
{{- $secret = required "file-server: turn.uris needs turn.existingSecret, the Secret holding the TURN server's static-auth-secret" $own.existingSecret -}}
{{- $key = $own.existingSecretKey -}}
{{- else if .Values.global.turn.enabled -}}
{{- $uris = include "starling.turnUris" . -}}
{{- $secret = include "starling.turnSecretName" . -}}
{{- $key = .Values.global.turn.existingSecretKey -}}
{{- end -}}
{{- if $uris }}
- name: FILE_SERVER_TURN_URIS
  value: {{ $uris | quote }}
- name: FILE_SERVER_TURN_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key }}
- name: FILE_SERVER_TURN_TTL
  value: {{ $own.credentialTtl | quote }}
{{- end }}
{{- end -}}
