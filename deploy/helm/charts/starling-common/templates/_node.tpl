{{/*
What every listed node has, relay or storage node (libs/service-node nodeConfig, under the
service's prefix): admission and onion hops on its public port, the registry's key, and TLS.
Call with (dict "ctx" . "prefix" "ENTRY_RELAY" "relay" <relay values block> "tls" <tls values block>).
*/}}
{{- define "starling.nodeEnv" -}}
{{- $r := .relay -}}
{{- with .ctx.Values.global.registryPubkey }}
- name: REGISTRY_PUBKEY
  value: {{ . | quote }}
{{- end }}
- name: {{ .prefix }}_BUCKET_CAPACITY
  value: {{ $r.bucketCapacity | quote }}
- name: {{ .prefix }}_BUCKET_REFILL
  value: {{ $r.bucketRefill | quote }}
- name: {{ .prefix }}_MAX_IN_FLIGHT
  value: {{ $r.maxInFlight | quote }}
- name: {{ .prefix }}_HOP_TIMEOUT
  value: {{ $r.hopTimeout | quote }}
- name: {{ .prefix }}_PROXY_TIMEOUT
  value: {{ $r.proxyTimeout | quote }}
- name: {{ .prefix }}_PROXY_ALLOW
  value: {{ $r.proxyAllow | quote }}
{{- if .tls.plainHttp }}
- name: {{ .prefix }}_PLAIN_HTTP
  value: "true"
{{- else if .tls.existingSecret }}
- name: {{ .prefix }}_TLS_CERT
  value: /tls/tls.crt
- name: {{ .prefix }}_TLS_KEY
  value: /tls/tls.key
{{- end }}
{{- end -}}

{{/*
The operator's certificate (a kubernetes.io/tls Secret: tls.crt, tls.key) read-only at /tls, as
YAML lists for starling.podSpec: "volume" or "mount". Empty without tls.existingSecret (the node
then makes a self-signed certificate in its data folder) or with tls.plainHttp.
Call with (dict "tls" <tls values block> "part" "volume"|"mount").
*/}}
{{- define "starling.tlsVolume" -}}
{{- if and .tls.existingSecret (not .tls.plainHttp) -}}
{{- if eq .part "volume" -}}
- name: tls
  secret:
    secretName: {{ .tls.existingSecret }}
    ## 0440: the key is readable by the pod's group (fsGroup) only.
    defaultMode: 288
{{- else -}}
- name: tls
  mountPath: /tls
  readOnly: true
{{- end -}}
{{- end -}}
{{- end -}}

{{/* One ingress rule that opens the given ports to everyone. Call with (dict "ports" (list "http")). */}}
{{- define "starling.fromAnyone" -}}
- ports:
    {{- range .ports }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
{{- end -}}
