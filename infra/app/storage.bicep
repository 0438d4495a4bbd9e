// Storage account for the Functions host (blobs: leases, timer status, keys), Durable Functions
// (queues + tables: task hub), the Flex deployment package (blob container) and the FxGold table.
// Shared keys are disabled: every caller authenticates with Microsoft Entra ID.
param name string
param location string = resourceGroup().location
param tags object = {}
param deploymentContainerName string
param tableName string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// The app also creates the table if it is missing; creating it here makes it visible right after provisioning.
resource fxGoldTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: tableName
}

output name string = storage.name
output id string = storage.id
// Without a trailing slash, as the app expects: https://<account>.table.core.windows.net
output tableServiceUri string = 'https://${storage.name}.table.${environment().suffixes.storage}'
