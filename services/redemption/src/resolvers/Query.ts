export const Query = {
  redemptionService: () => 'redemption',
};
