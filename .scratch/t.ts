import { parseConfig } from '../src/config/loadConfig';
try { parseConfig({ storage: { account: 'Bad!', container: 'ok-container', extra: 1 }, services: [{ id: '/x', schedule: '0 0 2 * *', rpo: 'P1Y' }] }); } catch (e) { console.log((e as Error).message); }
console.log(JSON.stringify(parseConfig({ storage: { account: 'acct1', container: 'backups' }, services: [{ id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim1' }] })));
