{{/* Name of the DaemonSet, the Service and (with -token) the Secret: the release's name. */}}
{{- define "holdfast.name" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's namespace; "default" when none is given, as helm itself does. */}}
{{- define "holdfast.namespace" -}}
{{- .Release.Namespace | default "default" -}}
{{- end -}}

{{/* Labels of every object. */}}
{{- define "holdfast.labels" -}}
{{ include "holdfast.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Labels that select the pods; never changed, a DaemonSet's selector is immutable. */}}
{{- define "holdfast.selectorLabels" -}}
app.kubernetes.io/name: holdfast
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The Secret with the token (and hook secret): the chart's own or an existing one. */}}
{{- define "holdfast.secret" -}}
{{- if .Values.existingSecret -}}{{ .Values.existingSecret }}{{- else -}}{{ include "holdfast.name" . }}-token{{- end -}}
{{- end -}}

{{/* Whether the chart creates the Secret. */}}
{{- define "holdfast.ownSecret" -}}
{{- if and (or .Values.apiToken .Values.hookSecret) (not .Values.existingSecret) -}}true{{- end -}}
{{- end -}}

{{/* The address part of HOLDFAST_LISTEN: an IPv6 address in brackets. */}}
{{- define "holdfast.listenHost" -}}
{{- $a := .Values.listenAddress -}}
{{- if and (contains ":" $a) (not (hasPrefix "[" $a)) -}}[{{ $a }}]{{- else -}}{{ $a }}{{- end -}}
{{- end -}}

{{/* HOLDFAST_URL for the CLI run in the pod (kubectl exec): the API over loopback. */}}
{{- define "holdfast.localUrl" -}}
{{- if contains ":" .Values.listenAddress -}}http://[::1]:{{ .Values.port }}{{- else -}}http://127.0.0.1:{{ .Values.port }}{{- end -}}
{{- end -}}

{{/* Refuses values that contradict each other (the schema checks each on its own). */}}
{{- define "holdfast.validate" -}}
{{- if and .Values.existingSecret (or .Values.apiToken .Values.hookSecret) -}}
{{- fail "existingSecret and apiToken/hookSecret are exclusive: put the token in the existing Secret (key token) or let the chart create one" -}}
{{- end -}}
{{- end -}}
