export { brokerList, ConfigError, flag, httpUrl, int, kafkaEnv, logLevel, nodeEnv, number, optionalHttpUrl, parseEnv, postgresUrl, redisUrl, refuseInProduction } from './env.js';
