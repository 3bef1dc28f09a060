// Resolved by the runner's alias to the implementation under test and the reference.
declare module "@solution";
declare module "@reference";
