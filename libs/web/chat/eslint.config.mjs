import { angularProject } from '../../../eslint.angular.config.mjs';

export default angularProject('chat');
