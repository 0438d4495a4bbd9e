// Flex Consumption plan + Function App (Linux, Node 22) running the FX + gold Durable Functions app.
param name string
param planName string
param location string = resourceGroup().location
param tags object = {}

@description('azd service name from azure.yaml; azd finds the app to deploy by this tag.')
param serviceName string = 'api'

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

param storageAccountName string
param deploymentContainerName string

@description('Table endpoint without trailing slash, e.g. https://<account>.table.core.windows.net')
param tableServiceUri string

param appInsightsConnectionString string
param keyVaultName string

param schedule string
param taskHubName string
param currencyProviders string
param goldProviders string
param baseCurrency string
param currencies string
param tableName string
param httpTimeoutMs string
param storageTimeoutMs string
param maxResponseBytes string
param maxFxAgeDays string
param maxGoldAgeDays string
param maxGoldMovePct string
param maxFxMovePct string
param backfillParallelism string
param goldConcurrency string
param goldRequestBudget string
param goldMonthlyQuota string
param usageTableName string
param gapsTableName string

param frankfurterBaseUrl string = 'https://api.frankfurter.dev/v1'
// Gold from Frankfurter v2: NBP's fixing by default, `blend` for Frankfurter's blend of every bank publishing gold.
param frankfurterV2BaseUrl string = 'https://api.frankfurter.dev/v2'
param frankfurterGoldSource string = 'NBP'
param exchangerateHostBaseUrl string = 'https://api.exchangerate.host'
param goldApiBaseUrl string = 'https://www.goldapi.io/api'
// The keyless fallback's mirrors, tried in order ({date}: latest or YYYY-MM-DD; {base}: lower-case base currency).
param currencyApiUrls string = 'https://cdn.jsdelivr.net/npm/@fawazahmed0/currency-api@{date}/v1/currencies/{base}.json,https://{date}.currency-api.pages.dev/v1/currencies/{base}.json'

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

// Each key is referenced only when its provider is selected: an unresolvable reference would stay as the literal
// '@Microsoft.KeyVault(...)' text, which the app rejects (FXGOLD_GOLD_PROVIDERS=frankfurter deploys without a key).
var goldApiKeyReference = contains(goldProviders, 'goldapi') ? '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=goldapi-key)' : ''
var exchangerateHostAccessKeyValue = contains(currencyProviders, 'exchangeratehost') ? '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=exchangerate-host-access-key)' : ''

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    // No ftpsState: Flex Consumption has no FTP endpoint and, in some regions, rejects siteConfig.ftpsState
    // (like alwaysOn and linuxFxVersion) with error 51021.
    siteConfig: {
      minTlsVersion: '1.2'
    }
    // On Flex Consumption the runtime, scale and package location live here, not in app settings
    // (Flex rejects or ignores the legacy worker-runtime, extension-version, run-from-package and content-share settings).
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
}

// Every setting the app reads in Azure. FXGOLD_STORAGE_CONNECTION (the local connection-string
// alternative) and a plain AzureWebJobsStorage connection string are deliberately absent: Azure uses identities.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: {
    // Functions host and Durable Functions (Azure Storage provider) storage, through the user-assigned identity.
    AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId

    // Application Insights with Entra ID ingestion (local auth is disabled).
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

    // DefaultAzureCredential in the app picks the user-assigned identity from this.
    AZURE_CLIENT_ID: identityClientId

    // The worker runs one esbuild bundle (src/devtools/buildFunctions.ts); with its source maps, shipped beside it,
    // stack traces name src/ files and lines. The host does not set this itself.
    NODE_OPTIONS: '--enable-source-maps'

    // Application settings.
    FXGOLD_SCHEDULE: schedule
    FXGOLD_TASK_HUB: taskHubName
    FXGOLD_BASE_CURRENCY: baseCurrency
    FXGOLD_CURRENCIES: currencies
    FXGOLD_CURRENCY_PROVIDERS: currencyProviders
    FXGOLD_GOLD_PROVIDERS: goldProviders
    CURRENCYAPI_URLS: currencyApiUrls
    FRANKFURTER_BASE_URL: frankfurterBaseUrl
    FRANKFURTER_V2_BASE_URL: frankfurterV2BaseUrl
    FRANKFURTER_GOLD_SOURCE: frankfurterGoldSource
    EXCHANGERATE_HOST_BASE_URL: exchangerateHostBaseUrl
    EXCHANGERATE_HOST_ACCESS_KEY: exchangerateHostAccessKeyValue
    GOLDAPI_BASE_URL: goldApiBaseUrl
    GOLDAPI_KEY: goldApiKeyReference
    FXGOLD_TABLE_SERVICE_URI: tableServiceUri
    FXGOLD_TABLE_NAME: tableName
    FXGOLD_HTTP_TIMEOUT_MS: httpTimeoutMs
    FXGOLD_STORAGE_TIMEOUT_MS: storageTimeoutMs
    FXGOLD_MAX_RESPONSE_BYTES: maxResponseBytes
    FXGOLD_MAX_FX_AGE_DAYS: maxFxAgeDays
    FXGOLD_MAX_GOLD_AGE_DAYS: maxGoldAgeDays
    FXGOLD_MAX_GOLD_MOVE_PCT: maxGoldMovePct
    FXGOLD_MAX_FX_MOVE_PCT: maxFxMovePct
    FXGOLD_BACKFILL_PARALLELISM: backfillParallelism
    FXGOLD_GOLD_CONCURRENCY: goldConcurrency
    FXGOLD_GOLD_REQUEST_BUDGET: goldRequestBudget
    FXGOLD_GOLD_MONTHLY_QUOTA: goldMonthlyQuota
    FXGOLD_USAGE_TABLE_NAME: usageTableName
    FXGOLD_GAPS_TABLE_NAME: gapsTableName
  }
}

output name string = functionApp.name
output url string = 'https://${functionApp.properties.defaultHostName}'
output id string = functionApp.id
