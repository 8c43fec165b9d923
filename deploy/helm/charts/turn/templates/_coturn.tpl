{{/* Settings that cannot work together, refused before anything renders. */}}
{{- define "turn.validate" -}}
{{- $r := .Values.relayPorts -}}
{{- if gt (int $r.min) (int $r.max) -}}
{{- fail (printf "turn: relayPorts.min (%v) is above relayPorts.max (%v)" $r.min $r.max) -}}
{{- end -}}
{{- if .Values.service.exposeRelayPorts -}}
{{- if not .Values.externalIP -}}
{{- fail "turn: service.exposeRelayPorts needs externalIP (the Service's public address), which coturn then reports as its relay address" -}}
{{- end -}}
{{- if gt (sub (int $r.max) (int $r.min)) 999 -}}
{{- fail (printf "turn: service.exposeRelayPorts lists every relay port in the Service; narrow relayPorts to at most 1000 ports (now %v-%v)" $r.min $r.max) -}}
{{- end -}}
{{- end -}}
{{- if eq .Values.service.type "NodePort" -}}
{{- $ports := list (int .Values.global.turn.port) -}}
{{- if .Values.service.exposeRelayPorts }}{{ $ports = concat $ports (list (int $r.min) (int $r.max)) }}{{ end -}}
{{- range $ports -}}
{{- if or (lt . 30000) (gt . 32767) -}}
{{- fail (printf "turn: with service.type NodePort, clients connect to the node port itself: global.turn.port and exposed relay ports must lie in 30000-32767 (got %v)" .) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* "10.0.0.0/8" -> "10.0.0.0-10.255.255.255": coturn takes IP ranges, not CIDRs. IPv4 only. */}}
{{- define "turn.ipv4Range" -}}
{{- $parts := splitList "/" . -}}
{{- $address := 0 -}}
{{- range splitList "." (first $parts) }}{{ $address = add (mul $address 256) (int .) }}{{ end -}}
{{- $size := 1 -}}
{{- range until (sub 32 (int (last $parts)) | int) }}{{ $size = mul $size 2 }}{{ end -}}
{{- $first := mul (div $address $size) $size -}}
{{- include "turn.ipv4" $first }}-{{ include "turn.ipv4" (sub (add $first $size) 1) -}}
{{- end -}}

{{- define "turn.ipv4" -}}
{{- printf "%d.%d.%d.%d" (div . 16777216) (mod (div . 65536) 256) (mod (div . 256) 256) (mod . 256) -}}
{{- end -}}

{{/* The denied CIDRs of one address family ("ipv4" or "ipv6"), as a list. */}}
{{- define "turn.deniedCidrs" -}}
{{- $family := .family -}}
{{- $out := list -}}
{{- range concat .ctx.Values.deniedPeerCIDRs .ctx.Values.extraDeniedPeerCIDRs -}}
{{- if eq (contains ":" .) (eq $family "ipv6") }}{{ $out = append $out . }}{{ end -}}
{{- end -}}
{{- toJson (dict "cidrs" $out) -}}
{{- end -}}

{{/*
turnserver's command line (every option exists in coturn 4.6.1, Debian's, which the tests run,
and in 4.17, the image's). No config file (-n): everything is here. $(POD_IP) and $(TURN_SECRET)
are expanded by Kubernetes from the container's env, so the secret never appears in the pod spec
(it does in the process's argv, which coturn offers no other way to receive).
*/}}
{{- define "turn.args" -}}
{{- $v := .Values -}}
- -n
- --listening-ip=$(POD_IP)
- --relay-ip=$(POD_IP)
- --listening-port={{ $v.ports.turn }}
- --min-port={{ $v.relayPorts.min }}
- --max-port={{ $v.relayPorts.max }}
- --use-auth-secret
- --static-auth-secret=$(TURN_SECRET)
- --realm={{ $v.realm }}
- --fingerprint
{{- /* No certificate: media is DTLS-SRTP end to end; TLS would only hide that it is TURN. */}}
- --no-tls
- --no-dtls
- --no-cli
- --no-tcp-relay
- --no-multicast-peers
- --no-rfc5780
- --response-origin-only-with-rfc5780
- --no-software-attribute
{{- /* The secret is static: no database-backed secrets, realms or IP lists to poll. */}}
- --no-auth-pings
- --no-dynamic-ip-list
- --no-dynamic-realms
- --pidfile=/tmp/turnserver.pid
- --db=/tmp/turndb
{{- if eq $v.logging "none" }}
- --log-file=/dev/null
- --no-stdout-log
{{- else }}
- --log-file=stdout
{{- end }}
- --simple-log
{{- with $v.externalIP }}
- --external-ip={{ . }}/$(POD_IP)
{{- end }}
{{- /* Allowed wins over denied: relaying between two allocations of this pod goes to its own IP
(coturn allows the private part of an external-ip mapping by itself, but not without one). */}}
- --allowed-peer-ip=$(POD_IP)
{{- range (include "turn.deniedCidrs" (dict "ctx" . "family" "ipv4") | fromJson).cidrs }}
- --denied-peer-ip={{ include "turn.ipv4Range" . }}
{{- end }}
{{- with $v.limits.userQuota }}
- --user-quota={{ . }}
{{- end }}
{{- with $v.limits.totalQuota }}
- --total-quota={{ . }}
{{- end }}
{{- with $v.limits.maxBps }}
- --max-bps={{ . }}
{{- end }}
{{- if $v.metrics.enabled }}
- --prometheus
- --prometheus-port={{ $v.ports.metrics }}
{{- end }}
{{- with $v.extraArgs }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The coturn container, handed to starling.deployment in place of the Node.js one. */}}
{{- define "turn.container" -}}
{{- $v := .Values -}}
- name: turn
  image: {{ include "starling.image" . }}
  imagePullPolicy: {{ $v.image.pullPolicy }}
  {{- /* Bypasses the image's entrypoint, which passes each argument through the shell's eval. */}}
  command: ["turnserver"]
  args:
    {{- include "turn.args" . | nindent 4 }}
  env:
    - name: POD_IP
      valueFrom:
        fieldRef:
          fieldPath: status.podIP
    - name: TURN_SECRET
      valueFrom:
        secretKeyRef:
          name: {{ include "starling.turnSecretName" . }}
          key: {{ $v.global.turn.existingSecretKey }}
  ports:
    - name: turn-udp
      containerPort: {{ $v.ports.turn }}
      protocol: UDP
    - name: turn-tcp
      containerPort: {{ $v.ports.turn }}
      protocol: TCP
    {{- if $v.metrics.enabled }}
    - name: metrics
      containerPort: {{ $v.ports.metrics }}
      protocol: TCP
    {{- end }}
    {{- if $v.service.exposeRelayPorts }}
    {{- range untilStep (int $v.relayPorts.min) (int (add $v.relayPorts.max 1)) 1 }}
    - name: relay-{{ . }}
      containerPort: {{ . }}
      protocol: UDP
    {{- end }}
    {{- end }}
  {{- include "starling.probes" . | nindent 2 }}
  {{- with $v.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.containerSecurityContext }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  volumeMounts:
    - name: tmp
      mountPath: /tmp
    {{- with $v.extraVolumeMounts }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}
