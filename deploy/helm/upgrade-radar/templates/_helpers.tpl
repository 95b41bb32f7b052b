{{/* Names and labels shared by every object of the release. */}}
{{- define "radar.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "radar.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "radar.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "radar.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of one component: include "radar.selector" (list . "worker") */}}
{{- define "radar.selector" -}}
app.kubernetes.io/name: {{ include "radar.name" (index . 0) }}
app.kubernetes.io/instance: {{ (index . 0).Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{- define "radar.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "radar.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "radar.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* The chart-made Secret holds inline credentials; existing Secrets are referenced as they are. */}}
{{- define "radar.secretName" -}}
{{ include "radar.fullname" . }}-credentials
{{- end }}

{{- define "radar.checkValues" -}}
{{- if not .Values.clickhouse.url }}{{ fail "clickhouse.url is required: the address of your ClickHouse server (http://host:8123)" }}{{ end }}
{{- if and (or .Values.webhook.enabled .Values.worker.enabled) (not .Values.kafka.brokers) }}{{ fail "kafka.brokers is required by the webhook and the workers (host:9092,...)" }}{{ end }}
{{- if and .Values.scheduler.enabled (not (or .Values.redis.url .Values.redis.existingSecret)) }}{{ fail "redis.url (or redis.existingSecret) is required by the scheduler" }}{{ end }}
{{- if and .Values.worker.enabled (gt (int .Values.worker.replicas) (int .Values.kafka.partitions)) }}{{ fail (printf "worker.replicas (%d) must not exceed kafka.partitions (%d): the extra workers would get no partition" (int .Values.worker.replicas) (int .Values.kafka.partitions)) }}{{ end }}
{{- if and .Values.webhook.auth.token (lt (len .Values.webhook.auth.token) 16) }}{{ fail "webhook.auth.token must have at least 16 characters" }}{{ end }}
{{- if and .Values.webhook.tls.enabled (not .Values.webhook.tls.secretName) }}{{ fail "webhook.tls.secretName is required when webhook.tls.enabled (a kubernetes.io/tls Secret)" }}{{ end }}
{{- if .Values.guard.enabled }}{{ include "radar.checkGuard" . }}{{ end }}
{{- end }}

{{/* The guard needs its upgrade, its webhook entry (radar guard config --format helm-values) and TLS. */}}
{{- define "radar.checkGuard" -}}
{{- $g := .Values.guard }}
{{- $gen := "generate them with: radar guard config --format helm-values --from <version> --to <version> > guard-values.yaml, then -f guard-values.yaml" }}
{{- if not (and $g.from $g.to) }}{{ fail (printf "guard.from and guard.to are required when guard.enabled (the guard does not infer them from traffic): %s" $gen) }}{{ end }}
{{- if not (hasKey $g.webhook "rules") }}{{ fail (printf "guard.webhook (its rules) is required when guard.enabled: %s" $gen) }}{{ end }}
{{- if not $g.tls.secretName }}{{ fail (printf "guard.tls.secretName is required when guard.enabled (a kubernetes.io/tls Secret for %s-guard.%s.svc)" (include "radar.fullname" .) .Release.Namespace) }}{{ end }}
{{- $trust := 0 }}
{{- range (list $g.tls.caBundle $g.tls.certManagerIssuer.name $g.tls.injectCaFrom) }}{{ if . }}{{ $trust = add1 $trust }}{{ end }}{{ end }}
{{- if ne (int $trust) 1 }}{{ fail "guard.tls needs exactly one of caBundle (PEM), certManagerIssuer.name or injectCaFrom: how the apiserver trusts the guard's certificate" }}{{ end }}
{{- if not (has $g.mode (list "audit" "warn" "deny")) }}{{ fail (printf "guard.mode %q: use audit, warn or deny" $g.mode) }}{{ end }}
{{- if hasKey $g.policy "mode" }}{{ fail "guard.policy.mode: set guard.mode instead (one global mode)" }}{{ end }}
{{- end }}

{{/* Environment of every component: shared config, then credentials from Secrets. */}}
{{- define "radar.env" -}}
{{- $ctx := index . 0 }}
{{- $extra := index . 1 }}
- name: CLICKHOUSE_URL
  value: {{ $ctx.Values.clickhouse.url | quote }}
- name: CLICKHOUSE_USER
  value: {{ $ctx.Values.clickhouse.user | quote }}
- name: CLICKHOUSE_DATABASE
  value: {{ $ctx.Values.clickhouse.database | quote }}
{{- with $ctx.Values.clickhouse.cluster }}
- name: CLICKHOUSE_CLUSTER
  value: {{ . | quote }}
{{- end }}
{{- if or $ctx.Values.clickhouse.existingSecret $ctx.Values.clickhouse.password }}
- name: CLICKHOUSE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $ctx.Values.clickhouse.existingSecret | default (include "radar.secretName" $ctx) }}
      key: {{ ternary $ctx.Values.clickhouse.existingSecretKey "clickhouse-password" (not (empty $ctx.Values.clickhouse.existingSecret)) }}
{{- end }}
- name: KAFKA_BROKERS
  value: {{ $ctx.Values.kafka.brokers | quote }}
- name: KAFKA_TOPIC
  value: {{ $ctx.Values.kafka.topic | quote }}
{{- with $ctx.Values.kafka.dlqTopic }}
- name: KAFKA_DLQ_TOPIC
  value: {{ . | quote }}
{{- end }}
- name: KAFKA_GROUP_ID
  value: {{ $ctx.Values.kafka.groupId | quote }}
{{- range $k, $v := merge (dict) $extra $ctx.Values.config }}
- name: {{ $k }}
  value: {{ $v | toString | quote }}
{{- end }}
{{- end }}

{{- define "radar.volumes" -}}
- name: tmp
  emptyDir: {}
- name: data
  emptyDir: {}
{{- end }}

{{- define "radar.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: data
  mountPath: /var/lib/radar
{{- end }}

{{/* Pod-level settings every component shares. */}}
{{- define "radar.podSpec" -}}
{{- $ctx := index . 0 }}
{{- $c := index . 1 }}
serviceAccountName: {{ include "radar.serviceAccountName" $ctx }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml $ctx.Values.podSecurityContext | nindent 2 }}
{{- with $ctx.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
