// Log Analytics workspace + workspace-based Application Insights. Local (instrumentation key) auth is
// disabled, so telemetry is accepted only from identities holding Monitoring Metrics Publisher.
param logAnalyticsName string
param appInsightsName string
param location string = resourceGroup().location
param tags object = {}

@description('Days of log retention (30 is included in the ingestion price).')
param retentionInDays int = 30

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    DisableLocalAuth: true
  }
}

output appInsightsName string = appInsights.name
output connectionString string = appInsights.properties.ConnectionString
output logAnalyticsName string = logAnalytics.name
