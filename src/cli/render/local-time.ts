/** The shell's local-time function for list formats: the machine's zone, as nix-env prints. */
import type { LocalTimeOf } from '../../domain/list-generations-format.js';

export const localTimeOf: LocalTimeOf = (epochSeconds) => {
  const date = new Date(epochSeconds * 1000);
  return {
    year: date.getFullYear(),
    month: date.getMonth() + 1,
    day: date.getDate(),
    hour: date.getHours(),
    minute: date.getMinutes(),
    second: date.getSeconds(),
  };
};
