{{/* Settings of services/registry/src/config.ts that the chart owns. */}}
{{- define "registry.env" -}}
- name: REGISTRY_HOST
  value: "0.0.0.0"
- name: REGISTRY_OPS_PORT
  value: {{ .Values.ports.ops | quote }}
- name: REGISTRY_DRAIN_DELAY
  value: {{ printf "%ds" (int .Values.shutdown.drainDelaySeconds) | quote }}
- name: REGISTRY_HTTP_PORT
  value: {{ .Values.ports.http | quote }}
- name: REGISTRY_GRPC_PORT
  value: {{ .Values.ports.grpc | quote }}
- name: REGISTRY_DATA_DIR
  value: /data
{{- with .Values.database.schema }}
- name: REGISTRY_DATABASE_SCHEMA
  value: {{ . | quote }}
{{- end }}
- name: REGISTRY_SWARM_MIN_SIZE
  value: {{ .Values.swarm.minSize | quote }}
- name: REGISTRY_SWARM_TARGET_SIZE
  value: {{ .Values.swarm.targetSize | quote }}
- name: REGISTRY_SWARM_MARGIN
  value: {{ .Values.swarm.margin | quote }}
{{- end -}}
