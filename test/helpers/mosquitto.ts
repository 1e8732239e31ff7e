// Tests and the evaluation harness start private brokers the same way.
export { freePort, type PrivateBroker, startMosquitto } from '../../simulators/evaluation/mosquitto.js';
