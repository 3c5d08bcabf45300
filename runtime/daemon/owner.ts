/** Owner tag on everything ipnd creates; objects with another tag are never touched. */
export const OWNER = "ipnd";
