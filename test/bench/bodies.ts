/** A Deployment-sized request body for Request-level benchmark events. */
export function requestBody(i: number): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: `app-${i % 997}`,
      namespace: `team-${i % 13}`,
      labels: { app: `app-${i % 997}`, tier: 'web' },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: `app-${i % 997}` } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: `app-${i % 997}` } },
        spec: {
          containers: [
            {
              name: 'app',
              image: `registry.example.com/app:${i % 50}`,
              ports: [{ containerPort: 8080, protocol: 'TCP' }],
              env: [{ name: 'MODE', value: 'prod' }],
              resources: {
                limits: { cpu: '500m', memory: '256Mi' },
                requests: { cpu: '100m', memory: '128Mi' },
              },
              readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 10 },
            },
          ],
          serviceAccountName: 'app',
        },
      },
    },
  };
}
