// FX + gold daily job: Azure Functions (Flex Consumption, Node 22) with Durable Functions on Azure Storage,
// identity-only access to storage, Application Insights and Key Vault. Deployed with `azd up`.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name. The resource group is rg-<environmentName>; resource names derive from it.')
param environmentName string

@minLength(1)
@description('Azure region for every resource. It must offer the Flex Consumption plan (az functionapp list-flexconsumption-locations).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the person (or pipeline identity) running the deployment. When set, it may read and write the FxGold table and manage Key Vault secrets. Empty: no role for it.')
param principalId string = ''

@description('Kind of principalId: User when a person runs azd, ServicePrincipal in CI.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

// main.parameters.json repeats the defaults of principalType and of the parameters below as
// ${VAR=default}: azd passes a variable that is set but empty (as CI does with an unset repository
// variable) as '' instead of the Bicep default, which would fail @allowed/@minLength or deploy empty
// settings. Keep both files in step.
@description('NCRONTAB expression (6 fields, UTC) of the daily run; the default is weekdays at 18:00 UTC.')
param schedule string = '0 0 18 * * 1-5'

@description('Durable Functions task hub name: letters and digits, starting with a letter, 3-45 characters.')
@minLength(3)
@maxLength(45)
param taskHubName string = 'FxGoldHub'

@description('FX providers in failover order, comma-separated: frankfurter, exchangeratehost, currencyapi (keyless).')
param currencyProviders string = 'frankfurter'

@description('Gold providers in failover order, comma-separated: goldapi (skipped without GOLDAPI_KEY), frankfurter (keyless, a central bank fixing, price only), currencyapi (keyless, price only).')
param goldProviders string = 'goldapi,frankfurter'

@description('Base currency of the rates.')
param baseCurrency string = 'USD'

@description('Comma-separated quote currencies.')
param currencies string = 'EUR,JPY,GBP,CHF,CAD,AUD,NZD,SEK,NOK'

@description('Azure Table that receives one row per business day (created by this template).')
param tableName string = 'FxGold'

@description('Timeout of each provider HTTP call, in milliseconds (a string because it becomes an app setting).')
param httpTimeoutMs string = '10000'

@description('Time budget of each Table Storage operation, SDK retries included, in milliseconds (a string because it becomes an app setting).')
param storageTimeoutMs string = '10000'

@description('Most bytes read from one provider response body; a larger one fails the run (a string because it becomes an app setting).')
param maxResponseBytes string = '1048576'

@description('Quality gate: most business days the FX as-of date may lag the business date (a string because it becomes an app setting).')
param maxFxAgeDays string = '3'

@description('Quality gate: most business days the gold quote may lag the business date.')
param maxGoldAgeDays string = '3'

@description('Quality gate: largest day-over-day gold move, in percent.')
param maxGoldMovePct string = '20'

@description('Quality gate: largest day-over-day move of a rate, in percent.')
param maxFxMovePct string = '15'

@description('Backfill: most chunks (a month of dates each) processed at the same time (a string because it becomes an app setting).')
param backfillParallelism string = '4'

@description('Backfill: gold requests in flight at once.')
param goldConcurrency string = '2'

@description('Backfill: most gold requests one backfill may make.')
param goldRequestBudget string = '80'

@description('Gold requests the gold provider allows per UTC month (goldapi free plan: 100); 0 = no limit.')
param goldMonthlyQuota string = '100'

@description('The monthly usage ledger table (one row per metered provider and month).')
param usageTableName string = 'FxGoldUsage'

@description('The backfill gaps table (one row per business date no provider had data for).')
param gapsTableName string = 'FxGoldGaps'

@description('Upper bound of Flex Consumption instances.')
param maximumInstanceCount int = 40

@description('E-mail address for the daily-run alert (a run failed, or none completed by 19:00 UTC on a weekday). Empty: the alert rule exists, without an action group.')
param alertEmail string = ''

@secure()
@description('goldapi.io key. When set, the template stores it as Key Vault secret goldapi-key; when empty, the secret is left untouched (set it yourself, see docs/deploy.md).')
param goldApiKey string = ''

@secure()
@description('exchangerate.host access key. When set, the template stores it as Key Vault secret exchangerate-host-access-key.')
param exchangerateHostAccessKey string = ''

var abbrs = loadJsonContent('./abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = '${abbrs.webSitesFunctions}${resourceToken}'
// Flex Consumption reads the deployment package from this blob container.
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    appInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module alerts 'app/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    appInsightsName: monitoring.outputs.appInsightsName
    location: location
    tags: tags
    alertEmail: alertEmail
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    tableName: tableName
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    goldApiKey: goldApiKey
    exchangerateHostAccessKey: exchangerateHostAccessKey
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
    keyVaultName: keyVault.outputs.name
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  // The identity must hold its storage, monitoring and Key Vault roles before the host starts.
  dependsOn: [
    rbac
  ]
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    tableServiceUri: storage.outputs.tableServiceUri
    appInsightsConnectionString: monitoring.outputs.connectionString
    keyVaultName: keyVault.outputs.name
    schedule: schedule
    taskHubName: taskHubName
    currencyProviders: currencyProviders
    goldProviders: goldProviders
    baseCurrency: baseCurrency
    currencies: currencies
    tableName: tableName
    httpTimeoutMs: httpTimeoutMs
    storageTimeoutMs: storageTimeoutMs
    maxResponseBytes: maxResponseBytes
    maxFxAgeDays: maxFxAgeDays
    maxGoldAgeDays: maxGoldAgeDays
    maxGoldMovePct: maxGoldMovePct
    maxFxMovePct: maxFxMovePct
    backfillParallelism: backfillParallelism
    goldConcurrency: goldConcurrency
    goldRequestBudget: goldRequestBudget
    goldMonthlyQuota: goldMonthlyQuota
    usageTableName: usageTableName
    gapsTableName: gapsTableName
    maximumInstanceCount: maximumInstanceCount
  }
}

// azd stores these in .azure/<env>/.env (read them with `azd env get-values`).
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_FUNCTION_APP_URL string = api.outputs.url
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output FXGOLD_TABLE_SERVICE_URI string = storage.outputs.tableServiceUri
output FXGOLD_TABLE_NAME string = tableName
