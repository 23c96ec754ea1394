{{/* Names and labels. */}}
{{- define "orqestra.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "orqestra.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* selectorLabels: (dict "root" $ "component" "api") */}}
{{- define "orqestra.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "orqestra.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "orqestra.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* image: (dict "root" $ "image" .Values.image.api) */}}
{{- define "orqestra.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{/* The environment every Orqestra container shares: settings from values, secrets by reference. */}}
{{- define "orqestra.env" -}}
- name: NODE_ENV
  value: production
- name: KAFKA_BROKERS
  value: {{ join "," .Values.kafka.brokers | quote }}
- name: KAFKA_TOPIC_PARTITIONS
  value: {{ .Values.kafka.topicPartitions | quote }}
- name: KAFKA_TOPIC_REPLICAS
  value: {{ .Values.kafka.topicReplicas | quote }}
- name: KAFKA_TOPIC_PREFIX
  value: {{ .Values.kafka.topicPrefix | quote }}
- name: CENTRIFUGO_URL
  value: {{ .Values.centrifugo.url | quote }}
- name: CENTRIFUGO_PUBLIC_URL
  value: {{ .Values.centrifugo.publicUrl | quote }}
{{- range $name, $value := .Values.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- range .Values.secrets.keys }}
- name: {{ . }}
  valueFrom:
    secretKeyRef:
      name: {{ required "secrets.existingSecret is required: create a Secret with the services' secrets" $.Values.secrets.existingSecret }}
      key: {{ . }}
{{- end }}
{{- end -}}

{{/* The pod-level settings every Orqestra pod shares. */}}
{{- define "orqestra.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end -}}

{{/*
A Deployment for one long-running component:
(dict "root" $ "component" "api" "values" .Values.api "image" .Values.image.api "script" "apps/api/dist/main.api.js" "portEnv" "API_PORT" "hostEnv" "API_HOST")
*/}}
{{- define "orqestra.deployment" -}}
{{- $root := .root -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "orqestra.fullname" $root }}-{{ .component }}
  labels:
    {{- include "orqestra.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  replicas: {{ .values.replicas }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "orqestra.selectorLabels" (dict "root" $root "component" .component) | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  template:
    metadata:
      labels:
        {{- include "orqestra.selectorLabels" (dict "root" $root "component" .component) | nindent 8 }}
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ .values.port | quote }}
        prometheus.io/path: /metrics
        {{- with $root.Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "orqestra.serviceAccountName" $root }}
      automountServiceAccountToken: false
      {{- include "orqestra.podCommon" $root | nindent 6 }}
      # A stopping consumer leaves its group and commits; give it time to drain in-flight work.
      terminationGracePeriodSeconds: 45
      containers:
        - name: {{ .component }}
          image: {{ include "orqestra.image" (dict "root" $root "image" .image) | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          command: ["node", {{ .script | quote }}]
          env:
            {{- include "orqestra.env" $root | nindent 12 }}
            - name: {{ .portEnv }}
              value: {{ .values.port | quote }}
            - name: {{ .hostEnv }}
              value: "0.0.0.0"
          ports:
            - name: http
              containerPort: {{ .values.port }}
              protocol: TCP
          startupProbe:
            httpGet: { path: /health/live, port: http }
            periodSeconds: {{ $root.Values.probes.startup.periodSeconds }}
            timeoutSeconds: {{ $root.Values.probes.startup.timeoutSeconds }}
            failureThreshold: {{ $root.Values.probes.startup.failureThreshold }}
          livenessProbe:
            httpGet: { path: /health/live, port: http }
            periodSeconds: {{ $root.Values.probes.liveness.periodSeconds }}
            timeoutSeconds: {{ $root.Values.probes.liveness.timeoutSeconds }}
            failureThreshold: {{ $root.Values.probes.liveness.failureThreshold }}
          readinessProbe:
            httpGet: { path: /health/ready, port: http }
            periodSeconds: {{ $root.Values.probes.readiness.periodSeconds }}
            timeoutSeconds: {{ $root.Values.probes.readiness.timeoutSeconds }}
            failureThreshold: {{ $root.Values.probes.readiness.failureThreshold }}
          resources:
            {{- toYaml .values.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
      {{- with .values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .values.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{/* A PodDisruptionBudget: (dict "root" $ "component" "api" "values" .Values.api) */}}
{{- define "orqestra.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "orqestra.fullname" .root }}-{{ .component }}
  labels:
    {{- include "orqestra.labels" .root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  {{- if hasKey .values.pdb "minAvailable" }}
  minAvailable: {{ .values.pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ .values.pdb.maxUnavailable | default 1 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "orqestra.selectorLabels" (dict "root" .root "component" .component) | nindent 6 }}
{{- end -}}

{{/* A ClusterIP Service: (dict "root" $ "component" "worker" "port" 3003 "targetPort" "http" "type" "ClusterIP") */}}
{{- define "orqestra.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "orqestra.fullname" .root }}-{{ .component }}
  labels:
    {{- include "orqestra.labels" .root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  type: {{ .type | default "ClusterIP" }}
  selector:
    {{- include "orqestra.selectorLabels" (dict "root" .root "component" .component) | nindent 4 }}
  ports:
    - name: http
      port: {{ .port }}
      targetPort: http
      protocol: TCP
{{- end -}}
