/** The activities every restore and migration starts with: its request checked against the edge's record, and the wait for a second approval. */
import * as df from 'durable-functions';
import { settleApproval, type SettleApprovalInput } from '../src/workflows/approval/settleApproval';
import { verifyRequest, type VerifyRequestInput } from '../src/workflows/approval/verifyRequest';
import { Activities } from '../src/workflows/names';
import { services } from './services';

df.app.activity(Activities.verifyRequest, { handler: (input: VerifyRequestInput) => verifyRequest(services(), input) });
df.app.activity(Activities.settleApproval, { handler: (input: SettleApprovalInput) => settleApproval(services(), input) });
