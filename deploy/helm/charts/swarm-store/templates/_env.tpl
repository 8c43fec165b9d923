{{/* Settings of services/swarm-store/src/config.ts that the chart owns. */}}
{{- define "swarm-store.env" -}}
- name: POD_INDEX
  valueFrom:
    fieldRef:
      fieldPath: metadata.labels['apps.kubernetes.io/pod-index']
- name: POD_IP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
{{- /* The node listens on its pod IP and announces that address (host:grpc port) to the
registry, so relays and swarm peers reach this very pod. It re-announces after a reschedule;
the registry keys nodes by public key, not by address. */}}
- name: SWARM_STORE_HOST
  value: "$(POD_IP)"
- name: SWARM_STORE_OPS_PORT
  value: {{ .Values.ports.ops | quote }}
- name: SWARM_STORE_DRAIN_DELAY
  value: {{ printf "%ds" (int .Values.shutdown.drainDelaySeconds) | quote }}
- name: SWARM_STORE_HTTP_PORT
  value: {{ .Values.ports.http | quote }}
- name: SWARM_STORE_GRPC_PORT
  value: {{ .Values.ports.grpc | quote }}
- name: SWARM_STORE_DATA_DIR
  value: /data
- name: SWARM_STORE_DB_POOL_SIZE
  value: {{ .Values.database.poolSize | quote }}
- name: SWARM_STORE_MAX_STORAGE
  value: {{ .Values.storage.maxStorage | quote }}
- name: SWARM_STORE_ACCOUNT_QUOTA
  value: {{ .Values.storage.accountQuota | quote }}
- name: REGISTRY_GRPC_ADDRESS
  value: {{ include "starling.registryAddress" . | quote }}
{{- with .Values.global.registryPubkey }}
- name: REGISTRY_PUBKEY
  value: {{ . | quote }}
{{- end }}
{{- with .Values.database.schemaTemplate }}
- name: SWARM_STORE_DB_SCHEMA
  value: {{ . | quote }}
{{- end }}
{{- with .Values.database.perNode.urlTemplate }}
{{- if $.Values.database.perNode.passwordSecret }}
- name: PGPASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $.Values.database.perNode.passwordSecret }}
      key: {{ $.Values.database.perNode.passwordSecretKey }}
{{- end }}
- name: DATABASE_URL
  value: {{ . | quote }}
{{- end }}
{{- end -}}
