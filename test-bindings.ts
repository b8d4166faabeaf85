/** Bindings the test and benchmark runs give the Worker in place of .dev.vars (safe, made-up values). */
export const testBindings = {
  APP_ENV: 'test',
  TWILIO_AUTH_TOKEN: 'test_auth_token_0123456789abcdef',
  TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
  TWILIO_FROM_NUMBER: '+13035550100',
  PORTAL_SIGNING_KEY: 'test-portal-signing-key',
  PUBLIC_BASE_URL: 'https://homebase.test',
  EMAIL_FROM: 'Reminders <reminders@homebase.test>',
}
