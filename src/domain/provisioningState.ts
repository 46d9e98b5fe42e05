/**
 * An APIM instance's `provisioningState`, as the 2024-05-01 specification lists it: Created, Activating, Succeeded,
 * Updating, Failed, Stopped, Terminating, TerminationFailed, Deleted. Created, Activating, Updating and Terminating
 * mean an operation is still under way: the instance is busy, and ARM answers another operation with 409.
 */

/** The states in which no operation is under way. */
export const SETTLED_STATES = ['Succeeded', 'Failed', 'Stopped', 'TerminationFailed', 'Deleted'] as const;

/** The states ARM reports while an operation runs on the instance. */
export const BUSY_STATES = ['Created', 'Activating', 'Updating', 'Terminating'] as const;

/**
 * True while an operation runs on the instance. A state the specification does not list counts as busy too: ARM
 * adds states over time, and waiting on one is safer than starting a second operation under it.
 */
export function isBusy(provisioningState: string): boolean {
  return !(SETTLED_STATES as readonly string[]).includes(provisioningState) && provisioningState !== 'Unknown';
}
