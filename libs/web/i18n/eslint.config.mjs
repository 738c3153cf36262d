import { angularProject } from '../../../eslint.angular.config.mjs';

export default angularProject('i18n');
