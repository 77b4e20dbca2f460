// PitstopCore: the maintenance domain as pure values.
// Tasks, resources, statuses, policy, scheduling rules and the single door through which every
// change passes (`FleetState.plan` then `FleetState.commit`). No I/O, no terminal, no clock: time comes in as an argument.
