// Alerting on the daily run: one log search alert on Application Insights that fires when a run fails, or when no
// run for today's business date completed by 19:00 UTC on a weekday (the timer did not fire, or the run hangs).
// It reads the run event the orchestrator logs at its end (src/orchestration/runEvents.ts: the name below, then JSON
// {outcome, instanceId, date, stage, provider, cause}); the infra-consistency test checks the name matches.
param appInsightsName string
param location string = resourceGroup().location
param tags object = {}

@description('E-mail address that receives the alerts. Empty: no action group; the alert still fires and shows in the portal (Monitor > Alerts).')
param alertEmail string = ''

@description('Hour (UTC) by which a weekday run must have completed.')
@minValue(1)
@maxValue(23)
param missedRunHourUtc int = 19

// Must equal RUN_EVENT_NAME in src/orchestration/runEvents.ts.
var runEventName = 'FxGoldRunEvent'
var actionGroupName = 'ag-fxgold-${uniqueString(resourceGroup().id)}'

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: actionGroupName
  location: 'Global'
  tags: tags
  properties: {
    groupShortName: 'fxgold'
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

// Evaluated every 15 minutes over the last day (the "completed today?" half needs to see back to the run).
// Failures: the events ingested in the last 15 minutes, so each failure is reported once even when ingestion lags.
// Missed run: only in the one evaluation that falls in [hh:00, hh:15) on Monday to Friday, so it fires once a day.
// (A multi-line string takes no interpolation, hence the placeholders.)
var queryTemplate = '''
let eventName = '__RUN_EVENT_NAME__';
let events = traces
    | where message startswith strcat(eventName, ' {')
    | extend e = parse_json(substring(message, strlen(eventName) + 1))
    | extend outcome = tostring(e.outcome), runDate = tostring(e.date), stage = tostring(e.stage), provider = tostring(e.provider), cause = tostring(e.cause);
let failures = events
    | where outcome == 'failed' and ingestion_time() > ago(15m)
    | project problem = 'run failed', runDate, stage, provider, cause;
let today = format_datetime(now(), 'yyyy-MM-dd');
let weekday = dayofweek(now()) between (1d .. 5d);
let checkNow = hourofday(now()) == __HOUR__ and datetime_part('minute', now()) < 15;
let completedToday = toscalar(events | where outcome == 'completed' and runDate == today | count);
let missed = print problem = strcat('no run completed by ', tostring(__HOUR__), ':00 UTC'), runDate = today, stage = '', provider = '', cause = ''
    | where weekday and checkNow and completedToday == 0;
union failures, missed
'''
var query = replace(replace(queryTemplate, '__RUN_EVENT_NAME__', runEventName), '__HOUR__', string(missedRunHourUtc))

resource runAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-fxgold-daily-run-${appInsightsName}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'FX·Gold daily run failed or missing'
    description: 'A daily run failed (the result names date, stage, provider and cause), or no run for today completed by ${missedRunHourUtc}:00 UTC on a weekday. See docs/deploy.md, "Alerts".'
    severity: 1
    enabled: true
    scopes: [
      appInsights.id
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'P1D'
    criteria: {
      allOf: [
        {
          query: query
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    // Stateless: every failure notifies, even while an earlier alert is still open.
    autoMitigate: false
    actions: {
      actionGroups: empty(alertEmail) ? [] : [
        resourceId('Microsoft.Insights/actionGroups', actionGroupName)
      ]
    }
  }
  dependsOn: [
    actionGroup
  ]
}

output alertRuleName string = runAlert.name
