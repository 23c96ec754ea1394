/** The fake vendor servers, for the contract tests here and the gateway's and end-to-end tests. */
export {
  closedPortUrl,
  DEFAULT_BEHAVIOUR,
  FakeVendorServer,
  type AcceptedSend,
  type FakeBehaviour,
  type ReceivedRequest,
  type RunningFake,
} from './fakes/fake-vendor-server.js';
export { FakeResend, type FakeResendBehaviour } from './resend/fake-server.js';
export { FakeSendGrid, type FakeSendGridBehaviour } from './sendgrid/fake-server.js';
export { FakeTwilio, type FakeTwilioBehaviour } from './twilio/fake-server.js';
export { FakeAfricasTalking, type FakeAfricasTalkingBehaviour } from './africastalking/fake-server.js';
export { FakeSmtp, type FakeSmtpBehaviour, type ReceivedMail } from './smtp/fake-server.js';
