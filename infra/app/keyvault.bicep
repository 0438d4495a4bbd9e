// Key Vault for the provider keys, RBAC authorization only (no access policies are used).
// The Function App reads secrets through Key Vault references with its user-assigned identity.
param name string
param location string = resourceGroup().location
param tags object = {}

@secure()
@description('When not empty, stored as secret goldapi-key. When empty, an existing secret is left as it is.')
param goldApiKey string = ''

@secure()
@description('When not empty, stored as secret exchangerate-host-access-key.')
param exchangerateHostAccessKey string = ''

var goldApiKeySecretName = 'goldapi-key'
var exchangerateHostAccessKeySecretName = 'exchangerate-host-access-key'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    accessPolicies: []
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    // publicNetworkAccess keeps its default (Enabled): Flex apps without VNet integration reach the vault publicly.
  }
}

resource goldApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(goldApiKey)) {
  parent: vault
  name: goldApiKeySecretName
  properties: {
    value: goldApiKey
    contentType: 'text/plain'
  }
}

resource exchangerateHostAccessKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(exchangerateHostAccessKey)) {
  parent: vault
  name: exchangerateHostAccessKeySecretName
  properties: {
    value: exchangerateHostAccessKey
    contentType: 'text/plain'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
