// Load test of the scoring API at the projected Black Friday peak (2026-09-24 run: see 2026-09-peak/summary.md).
import grpc from 'k6/net/grpc';
import { check } from 'k6';

const client = new grpc.Client();
client.load(['../proto'], 'scoring.proto');
const payloads = JSON.parse(open('./fixtures/authorisations-sample.json'));

export const options = {
  scenarios: {
    peak: { executor: 'constant-arrival-rate', rate: 300, timeUnit: '1s', duration: '30m',
            preAllocatedVUs: 40, maxVUs: 200 },
  },
  thresholds: { 'grpc_req_duration{name:"Score"}': ['p(99)<30'], checks: ['rate>0.9995'] },
};

export default () => {
  if (__ITER === 0) client.connect('scorer.perf.fraud.internal:443', {});
  const res = client.invoke('fraud.Scoring/Score', payloads[__ITER % payloads.length]);
  check(res, { ok: (r) => r && r.status === grpc.StatusOK });
};
